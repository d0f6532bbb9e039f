CREATE TABLE "upstream_listings" (
	"id" serial PRIMARY KEY NOT NULL,
	"list_key" text NOT NULL,
	"added_version" integer NOT NULL,
	"removed_version" integer,
	CONSTRAINT "upstream_listings_range" CHECK ("upstream_listings"."removed_version" is null or "upstream_listings"."removed_version" > "upstream_listings"."added_version")
);
--> statement-breakpoint
CREATE TABLE "upstream_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"synced_at" timestamp with time zone,
	"timestamp_expires_at" timestamp with time zone,
	"error_reason" text,
	"error_message" text,
	"error_at" timestamp with time zone,
	CONSTRAINT "upstream_state_singleton" CHECK ("upstream_state"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "upstream_versions" (
	"version" integer PRIMARY KEY NOT NULL,
	"manifest" text NOT NULL,
	"manifest_sha256" text NOT NULL,
	"entry_count" integer NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "withholdings" (
	"id" serial PRIMARY KEY NOT NULL,
	"list_key" text NOT NULL,
	"state" text NOT NULL,
	"category" text,
	"reason" text NOT NULL,
	"decided_by" integer,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "withholdings_state" CHECK (state in ('withheld', 'lifted')),
	CONSTRAINT "withholdings_category" CHECK ("withholdings"."category" is null or category in ('court_order', 'national_law', 'false_positive', 'other'))
);
--> statement-breakpoint
ALTER TABLE "upstream_listings" ADD CONSTRAINT "upstream_listings_added_version_upstream_versions_version_fk" FOREIGN KEY ("added_version") REFERENCES "public"."upstream_versions"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upstream_listings" ADD CONSTRAINT "upstream_listings_removed_version_upstream_versions_version_fk" FOREIGN KEY ("removed_version") REFERENCES "public"."upstream_versions"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "withholdings" ADD CONSTRAINT "withholdings_decided_by_credentials_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."credentials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "upstream_listings_one_open" ON "upstream_listings" USING btree ("list_key") WHERE "upstream_listings"."removed_version" is null;--> statement-breakpoint
CREATE INDEX "upstream_listings_added" ON "upstream_listings" USING btree ("added_version");--> statement-breakpoint
CREATE INDEX "upstream_listings_removed" ON "upstream_listings" USING btree ("removed_version");--> statement-breakpoint
CREATE INDEX "withholdings_list_key" ON "withholdings" USING btree ("list_key","id");