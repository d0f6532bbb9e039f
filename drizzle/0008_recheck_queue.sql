CREATE TABLE "recheck_queue" (
	"list_key" text PRIMARY KEY NOT NULL,
	"listed_since" integer NOT NULL,
	"confirmed_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"confirmed_micros" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "recheck_queue_confirmed" ON "recheck_queue" USING btree ("confirmed_micros","list_key" collate "C");--> statement-breakpoint
CREATE INDEX "exclusions_decided" ON "exclusions" USING btree ("decided_at");