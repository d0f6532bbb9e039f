CREATE TABLE "tsig_keys" (
	"id" serial PRIMARY KEY NOT NULL,
	"credential_id" integer NOT NULL,
	"name" text NOT NULL,
	"algorithm" text NOT NULL,
	"sealed_secret" text NOT NULL,
	"notify" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "tsig_keys_algorithm" CHECK (algorithm in ('hmac-sha256', 'hmac-sha512'))
);
--> statement-breakpoint
ALTER TABLE "pulls" ADD COLUMN "via" text;--> statement-breakpoint
ALTER TABLE "tsig_keys" ADD CONSTRAINT "tsig_keys_credential_id_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."credentials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tsig_keys" ADD CONSTRAINT "tsig_keys_created_by_credentials_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."credentials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "tsig_keys_name" ON "tsig_keys" USING btree ("name");--> statement-breakpoint
CREATE INDEX "tsig_keys_credential" ON "tsig_keys" USING btree ("credential_id");