CREATE TABLE "domain_figures" (
	"list_key" text PRIMARY KEY NOT NULL,
	"latest_ms" bigint NOT NULL,
	"confirming_organisations" integer NOT NULL,
	"confirming_countries" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "domain_figures_latest" ON "domain_figures" USING btree ("latest_ms","list_key" collate "C");--> statement-breakpoint
CREATE INDEX "domain_figures_confirmations" ON "domain_figures" USING btree ("confirming_organisations","confirming_countries","list_key" collate "C");