-- Per-bot sequence counters: taking the bot's row lock to number a command (or an event)
-- serialises writers per bot, so commit order equals sequence order and a subscriber that
-- reads "everything after seq N" can never skip a row that commits late.
ALTER TABLE "bots"."bots"
    ADD COLUMN "last_command_seq" BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN "last_event_seq" BIGINT NOT NULL DEFAULT 0;

-- CreateTable: the command outbox bot runtimes follow by subscription.
CREATE TABLE "bots"."bot_commands" (
    "id" UUID NOT NULL,
    "bot_id" UUID NOT NULL,
    "seq" BIGINT NOT NULL,
    "command" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acked_at" TIMESTAMPTZ(6),
    "completed_at" TIMESTAMPTZ(6),

    CONSTRAINT "bot_commands_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "bot_commands_command_check" CHECK ("command" IN ('START', 'STOP', 'RESTART', 'CONFIG')),
    CONSTRAINT "bot_commands_status_check" CHECK ("status" IN ('pending', 'acked', 'done', 'failed')),
    CONSTRAINT "bot_commands_bot_id_fkey" FOREIGN KEY ("bot_id") REFERENCES "bots"."bots"("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "bot_commands_bot_id_seq_key" ON "bots"."bot_commands"("bot_id", "seq");
CREATE INDEX "bot_commands_status_created_at_idx" ON "bots"."bot_commands"("status", "created_at");

-- CreateTable: what happened to a bot's commands, in order (onStatus).
CREATE TABLE "bots"."bot_events" (
    "id" UUID NOT NULL,
    "bot_id" UUID NOT NULL,
    "seq" BIGINT NOT NULL,
    "command_id" UUID,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bot_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "bot_events_bot_id_fkey" FOREIGN KEY ("bot_id") REFERENCES "bots"."bots"("id") ON DELETE CASCADE,
    CONSTRAINT "bot_events_command_id_fkey" FOREIGN KEY ("command_id") REFERENCES "bots"."bot_commands"("id") ON DELETE SET NULL
);
CREATE UNIQUE INDEX "bot_events_bot_id_seq_key" ON "bots"."bot_events"("bot_id", "seq");

-- CreateTable: seed 003's escrows, with its composite indexes.
CREATE TABLE "bots"."escrows" (
    "id" UUID NOT NULL,
    "buyer_id" BIGINT NOT NULL,
    "seller_id" BIGINT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "amount" DECIMAL(28,10) NOT NULL,
    "currency" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "escrows_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "idx_escrow_buyer_status" ON "bots"."escrows"("buyer_id", "status");
CREATE INDEX "idx_escrow_seller_status" ON "bots"."escrows"("seller_id", "status");
CREATE INDEX "idx_escrow_created_at" ON "bots"."escrows"("created_at");

-- CreateTable: seed 003's invitations.
CREATE TABLE "bots"."invitations" (
    "id" UUID NOT NULL,
    "telegram_id" BIGINT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "idx_invitation_telegram_status" ON "bots"."invitations"("telegram_id", "status");
