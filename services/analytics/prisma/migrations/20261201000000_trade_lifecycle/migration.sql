-- Trades get their lifecycle (fee, pnl, status, closed_at) and the indexes the dashboard's
-- queries need. The init migration's table and index stay as they were.

-- AlterTable
ALTER TABLE "analytics"."trades"
    ADD COLUMN "fee" DECIMAL(28,10) NOT NULL DEFAULT 0,
    ADD COLUMN "pnl" DECIMAL(28,10),
    ADD COLUMN "status" TEXT NOT NULL DEFAULT 'open',
    ADD COLUMN "closed_at" TIMESTAMPTZ(6),
    ADD CONSTRAINT "trades_side_check" CHECK ("side" IN ('buy', 'sell')),
    ADD CONSTRAINT "trades_status_check" CHECK ("status" IN ('open', 'closed', 'cancelled')),
    ADD CONSTRAINT "trades_closed_at_check" CHECK (("status" = 'closed') = ("closed_at" IS NOT NULL)),
    ADD CONSTRAINT "trades_amounts_check" CHECK ("quantity" > 0 AND "price" >= 0 AND "fee" >= 0);

-- Closed trades by time, newest first: tradeHistory's cursor (closed_at, id) and the revenue
-- buckets. Partial (open trades are never in a figure by close time) and covering, so revenue
-- reads fee and pnl from the index alone.
CREATE INDEX "trades_closed_at_id_idx" ON "analytics"."trades"("closed_at" DESC, "id" DESC)
    INCLUDE ("fee", "pnl") WHERE "status" = 'closed';

-- One user's closed trades, newest first (tradeHistory({ userId })).
CREATE INDEX "trades_user_id_closed_at_id_idx" ON "analytics"."trades"("user_id", "closed_at" DESC, "id" DESC)
    WHERE "status" = 'closed';

-- One asset's closed trades, newest first (tradeHistory({ asset })).
CREATE INDEX "trades_asset_closed_at_id_idx" ON "analytics"."trades"("asset", "closed_at" DESC, "id" DESC)
    WHERE "status" = 'closed';

-- Each user's first trade (userGrowth): the init migration's (user_id, opened_at) serves the
-- per-user minimum; this one finds the trades opened in a range without touching the heap.
CREATE INDEX "trades_opened_at_user_id_idx" ON "analytics"."trades"("opened_at") INCLUDE ("user_id");
