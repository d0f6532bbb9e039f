CREATE TABLE "content_hashes" (
	"report_id" integer NOT NULL,
	"organisation_id" integer NOT NULL,
	"algorithm" text NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "content_hashes_report_id_organisation_id_algorithm_value_pk" PRIMARY KEY("report_id","organisation_id","algorithm","value"),
	CONSTRAINT "content_hashes_algorithm" CHECK (algorithm in ('md5', 'sha1', 'sha256', 'pdq'))
);
--> statement-breakpoint
CREATE TABLE "first_listings" (
	"list_key" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"first_reported_at" timestamp with time zone NOT NULL,
	"listed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "content_hashes" ADD CONSTRAINT "content_hashes_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_hashes" ADD CONSTRAINT "content_hashes_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "first_listings" ADD CONSTRAINT "first_listings_version_snapshots_version_fk" FOREIGN KEY ("version") REFERENCES "public"."snapshots"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "content_hashes_value" ON "content_hashes" USING btree ("algorithm","value");--> statement-breakpoint
CREATE INDEX "first_listings_version" ON "first_listings" USING btree ("version");--> statement-breakpoint
CREATE INDEX "reports_url_canonical" ON "reports" USING btree ("url_canonical");