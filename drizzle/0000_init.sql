CREATE TABLE "artifacts" (
	"version" integer NOT NULL,
	"format" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"gzip" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"gzip_sha256" text NOT NULL,
	CONSTRAINT "artifacts_version_format_pk" PRIMARY KEY("version","format")
);
--> statement-breakpoint
CREATE TABLE "assessments" (
	"id" serial PRIMARY KEY NOT NULL,
	"report_id" integer NOT NULL,
	"organisation_id" integer NOT NULL,
	"analyst_ref" text,
	"assessed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"observed_online_at" timestamp with time zone NOT NULL,
	"verdict" text NOT NULL,
	"real_child" boolean NOT NULL,
	"apparent_age" text NOT NULL,
	"severity" smallint NOT NULL,
	"content_type" text,
	"note" text,
	CONSTRAINT "assessments_verdict" CHECK (verdict in ('confirmed', 'not_confirmed')),
	CONSTRAINT "assessments_apparent_age" CHECK (apparent_age in ('infant_toddler', 'prepubescent', 'pubescent', 'adult', 'unknown')),
	CONSTRAINT "assessments_content_type" CHECK (content_type in ('image', 'video', 'other')),
	CONSTRAINT "assessments_severity" CHECK ("assessments"."severity" between 1 and 10)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"actor" integer,
	"action" text NOT NULL,
	"subject" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ip" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "build_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"trigger" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"duration_ms" integer NOT NULL,
	"outcome" text NOT NULL,
	"version" integer,
	"added" integer DEFAULT 0 NOT NULL,
	"removed" integer DEFAULT 0 NOT NULL,
	"error" text,
	CONSTRAINT "build_runs_outcome" CHECK (outcome in ('changed', 'unchanged', 'skipped', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "credentials" (
	"id" serial PRIMARY KEY NOT NULL,
	"organisation_id" integer,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"label" text NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "credentials_role" CHECK (role in ('reporter', 'analyst', 'admin', 'ncb', 'isp'))
);
--> statement-breakpoint
CREATE TABLE "criteria_sets" (
	"version" serial PRIMARY KEY NOT NULL,
	"definition" jsonb NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"active" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delisting_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"list_key" text NOT NULL,
	"host" text NOT NULL,
	"contact" text NOT NULL,
	"statement" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"reason" text,
	CONSTRAINT "delisting_requests_state" CHECK (state in ('open', 'accepted', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "domain_policies" (
	"id" serial PRIMARY KEY NOT NULL,
	"list_key" text NOT NULL,
	"granularity" text NOT NULL,
	"reason" text NOT NULL,
	"set_by" integer,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "domain_policies_granularity" CHECK (granularity in ('registrable', 'hostname'))
);
--> statement-breakpoint
CREATE TABLE "exclusions" (
	"id" serial PRIMARY KEY NOT NULL,
	"list_key" text NOT NULL,
	"state" text NOT NULL,
	"reason" text NOT NULL,
	"decided_by" integer,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exclusions_state" CHECK (state in ('excluded', 'restored'))
);
--> statement-breakpoint
CREATE TABLE "listings" (
	"id" serial PRIMARY KEY NOT NULL,
	"list_key" text NOT NULL,
	"added_version" integer NOT NULL,
	"removed_version" integer,
	CONSTRAINT "listings_range" CHECK ("listings"."removed_version" is null or "listings"."removed_version" > "listings"."added_version")
);
--> statement-breakpoint
CREATE TABLE "observations" (
	"id" serial PRIMARY KEY NOT NULL,
	"report_id" integer NOT NULL,
	"organisation_id" integer NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"online" boolean NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"country" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisations_kind" CHECK (kind in ('hotline', 'agency', 'ncb', 'isp', 'operator')),
	CONSTRAINT "organisations_country" CHECK ("organisations"."country" ~ '^[A-Z]{2}$')
);
--> statement-breakpoint
CREATE TABLE "pulls" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pulls_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"credential_id" integer NOT NULL,
	"version" integer,
	"format" text NOT NULL,
	"status" smallint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"ip" text
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"organisation_id" integer NOT NULL,
	"external_ref" text NOT NULL,
	"url" text NOT NULL,
	"url_canonical" text NOT NULL,
	"host" text NOT NULL,
	"domain" text NOT NULL,
	"list_key" text NOT NULL,
	"reported_at" timestamp with time zone,
	"observed_online_at" timestamp with time zone,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"alg" text DEFAULT 'EdDSA' NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"private_ref" text NOT NULL,
	"state" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retiring_at" timestamp with time zone,
	"retired_at" timestamp with time zone,
	CONSTRAINT "signing_keys_state" CHECK (state in ('active', 'retiring', 'retired'))
);
--> statement-breakpoint
CREATE TABLE "snapshots" (
	"version" integer PRIMARY KEY NOT NULL,
	"previous_version" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"criteria_version" integer NOT NULL,
	"entry_count" integer NOT NULL,
	"list_sha256" text NOT NULL,
	"manifest" text NOT NULL,
	"manifest_sha256" text NOT NULL,
	"previous_manifest_sha256" text,
	"added_count" integer NOT NULL,
	"removed_count" integer NOT NULL,
	"signing_kid" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "snapshots_gap_free" CHECK (("snapshots"."version" = 1 and "snapshots"."previous_version" is null) or ("snapshots"."version" > 1 and "snapshots"."previous_version" is not null and "snapshots"."previous_version" = "snapshots"."version" - 1))
);
--> statement-breakpoint
CREATE TABLE "timestamps" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" integer NOT NULL,
	"jws" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "timestamps_singleton" CHECK ("timestamps"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"webhook_id" integer NOT NULL,
	"version" integer NOT NULL,
	"attempt" smallint NOT NULL,
	"status" smallint,
	"error" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" serial PRIMARY KEY NOT NULL,
	"organisation_id" integer,
	"url" text NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_version_snapshots_version_fk" FOREIGN KEY ("version") REFERENCES "public"."snapshots"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_credentials_id_fk" FOREIGN KEY ("actor") REFERENCES "public"."credentials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "criteria_sets" ADD CONSTRAINT "criteria_sets_created_by_credentials_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."credentials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delisting_requests" ADD CONSTRAINT "delisting_requests_decided_by_credentials_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."credentials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "domain_policies" ADD CONSTRAINT "domain_policies_set_by_credentials_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."credentials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exclusions" ADD CONSTRAINT "exclusions_decided_by_credentials_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."credentials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_added_version_snapshots_version_fk" FOREIGN KEY ("added_version") REFERENCES "public"."snapshots"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_removed_version_snapshots_version_fk" FOREIGN KEY ("removed_version") REFERENCES "public"."snapshots"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pulls" ADD CONSTRAINT "pulls_credential_id_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."credentials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_criteria_version_criteria_sets_version_fk" FOREIGN KEY ("criteria_version") REFERENCES "public"."criteria_sets"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_previous_fk" FOREIGN KEY ("previous_version") REFERENCES "public"."snapshots"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timestamps" ADD CONSTRAINT "timestamps_version_snapshots_version_fk" FOREIGN KEY ("version") REFERENCES "public"."snapshots"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."webhooks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_created_by_credentials_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."credentials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assessments_report_organisation" ON "assessments" USING btree ("report_id","organisation_id");--> statement-breakpoint
CREATE INDEX "assessments_organisation" ON "assessments" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "audit_log_subject" ON "audit_log" USING btree ("subject","at");--> statement-breakpoint
CREATE INDEX "audit_log_at" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "build_runs_started" ON "build_runs" USING btree ("started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "credentials_token_hash" ON "credentials" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "credentials_organisation" ON "credentials" USING btree ("organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "criteria_sets_one_active" ON "criteria_sets" USING btree ("active") WHERE "criteria_sets"."active";--> statement-breakpoint
CREATE UNIQUE INDEX "delisting_requests_dedupe" ON "delisting_requests" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "delisting_requests_state" ON "delisting_requests" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "delisting_requests_list_key" ON "delisting_requests" USING btree ("list_key");--> statement-breakpoint
CREATE INDEX "domain_policies_list_key" ON "domain_policies" USING btree ("list_key","id");--> statement-breakpoint
CREATE INDEX "exclusions_list_key" ON "exclusions" USING btree ("list_key","id");--> statement-breakpoint
CREATE UNIQUE INDEX "listings_one_open" ON "listings" USING btree ("list_key") WHERE "listings"."removed_version" is null;--> statement-breakpoint
CREATE INDEX "listings_list_key" ON "listings" USING btree ("list_key","added_version");--> statement-breakpoint
CREATE INDEX "listings_added" ON "listings" USING btree ("added_version");--> statement-breakpoint
CREATE INDEX "listings_removed" ON "listings" USING btree ("removed_version");--> statement-breakpoint
CREATE INDEX "observations_report" ON "observations" USING btree ("report_id","observed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_name" ON "organisations" USING btree ("name");--> statement-breakpoint
CREATE INDEX "pulls_credential" ON "pulls" USING btree ("credential_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_organisation_external_ref" ON "reports" USING btree ("organisation_id","external_ref");--> statement-breakpoint
CREATE INDEX "reports_list_key" ON "reports" USING btree ("list_key");--> statement-breakpoint
CREATE INDEX "reports_domain" ON "reports" USING btree ("domain");--> statement-breakpoint
CREATE UNIQUE INDEX "signing_keys_one_active" ON "signing_keys" USING btree ("state") WHERE "signing_keys"."state" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "snapshots_previous" ON "snapshots" USING btree ("previous_version");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_webhook" ON "webhook_deliveries" USING btree ("webhook_id","at");--> statement-breakpoint
CREATE INDEX "webhooks_organisation" ON "webhooks" USING btree ("organisation_id");