CREATE TABLE "confirmation_candidates" (
	"list_key" text PRIMARY KEY NOT NULL,
	"needed" integer NOT NULL,
	"missing_organisations" integer NOT NULL,
	"missing_countries" integer NOT NULL,
	"latest_ms" bigint NOT NULL,
	"reports" integer NOT NULL,
	"confirming_organisations" integer NOT NULL,
	"confirming_countries" integer NOT NULL,
	"assessed_by" integer[] NOT NULL,
	"confirmed_in" text[] NOT NULL
);
--> statement-breakpoint
CREATE INDEX "confirmation_candidates_rank" ON "confirmation_candidates" USING btree ("needed","latest_ms" DESC NULLS LAST,"reports" DESC NULLS LAST,"list_key" collate "C");