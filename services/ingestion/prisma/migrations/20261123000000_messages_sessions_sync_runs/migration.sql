-- CreateTable
-- Keyed by (channel_id, message_id): the key is the uniqueness rule (a post is stored once) and
-- the index listMessages pages on, so a write maintains one index, not two.
CREATE TABLE "ingestion"."messages" (
    "channel_id" BIGINT NOT NULL,
    "message_id" BIGINT NOT NULL,
    "text" TEXT NOT NULL DEFAULT '',
    "telegram_date" TIMESTAMPTZ(6) NOT NULL,
    "source" TEXT NOT NULL,
    "message_type" TEXT NOT NULL DEFAULT 'channel_post',
    "media_type" TEXT,
    "status" TEXT NOT NULL DEFAULT 'received',
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("channel_id","message_id")
);

-- CreateTable
CREATE TABLE "ingestion"."telegram_sessions" (
    "name" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "iv" BYTEA NOT NULL,
    "auth_tag" BYTEA NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "telegram_sessions_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "ingestion"."sync_runs" (
    "id" UUID NOT NULL,
    "triggered_by" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(6) NOT NULL,
    "finished_at" TIMESTAMPTZ(6) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "message_limit" INTEGER NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "channel_count" INTEGER NOT NULL,
    "messages_synced" INTEGER NOT NULL,
    "messages_saved" INTEGER NOT NULL,
    "query_count" INTEGER NOT NULL,
    "channels" JSONB NOT NULL,

    CONSTRAINT "sync_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sync_runs_started_at_idx" ON "ingestion"."sync_runs"("started_at" DESC);

-- AddForeignKey
ALTER TABLE "ingestion"."messages" ADD CONSTRAINT "messages_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "ingestion"."channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;
