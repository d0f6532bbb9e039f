CREATE TABLE "evidence_changes" (
	"list_key" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evidence_summary" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"criteria_version" integer NOT NULL,
	"listed_version" integer,
	"refreshed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "evidence_summary_singleton" CHECK ("evidence_summary"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "key_evidence" (
	"list_key" text PRIMARY KEY NOT NULL,
	"reports" integer NOT NULL,
	"offline_reports" integer NOT NULL,
	"confirmed" integer NOT NULL,
	"qualifying_organisations" integer NOT NULL,
	"qualifying_countries" integer NOT NULL,
	"any_real_child" boolean NOT NULL,
	"youngest_rank" integer,
	"highest_severity" integer,
	"latest_online_at" timestamp with time zone,
	"excluded" boolean NOT NULL,
	"included" boolean NOT NULL,
	"changes_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "key_evidence_changes_at" ON "key_evidence" USING btree ("changes_at");--> statement-breakpoint
CREATE INDEX "key_evidence_included" ON "key_evidence" USING btree ("list_key" collate "C") WHERE included;--> statement-breakpoint
-- Every write that can change a key's evidence names the key in evidence_changes, in the
-- writer's own transaction, whichever code path (or psql session) makes it.
CREATE FUNCTION evidence_changed_by_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO evidence_changes (list_key) SELECT DISTINCT list_key FROM new_rows;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO evidence_changes (list_key) SELECT DISTINCT list_key FROM old_rows;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION evidence_changed_by_report() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO evidence_changes (list_key)
    SELECT DISTINCT r.list_key FROM new_rows n JOIN reports r ON r.id = n.report_id;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO evidence_changes (list_key)
    SELECT DISTINCT r.list_key FROM old_rows o JOIN reports r ON r.id = o.report_id;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- An organisation's country is counted among confirming countries.
CREATE FUNCTION evidence_changed_by_organisation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO evidence_changes (list_key)
  SELECT DISTINCT r.list_key
  FROM new_rows n
  JOIN old_rows o ON o.id = n.id AND o.country IS DISTINCT FROM n.country
  JOIN assessments a ON a.organisation_id = n.id
  JOIN reports r ON r.id = a.report_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A truncated evidence table leaves nothing to name: the summary is recomputed whole.
CREATE FUNCTION evidence_summary_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM evidence_summary;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER reports_evidence_insert AFTER INSERT ON reports REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION evidence_changed_by_key();
--> statement-breakpoint
CREATE TRIGGER reports_evidence_update AFTER UPDATE ON reports REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION evidence_changed_by_key();
--> statement-breakpoint
CREATE TRIGGER reports_evidence_delete AFTER DELETE ON reports REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION evidence_changed_by_key();
--> statement-breakpoint
CREATE TRIGGER exclusions_evidence_insert AFTER INSERT ON exclusions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION evidence_changed_by_key();
--> statement-breakpoint
CREATE TRIGGER exclusions_evidence_update AFTER UPDATE ON exclusions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION evidence_changed_by_key();
--> statement-breakpoint
CREATE TRIGGER exclusions_evidence_delete AFTER DELETE ON exclusions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION evidence_changed_by_key();
--> statement-breakpoint
CREATE TRIGGER assessments_evidence_insert AFTER INSERT ON assessments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION evidence_changed_by_report();
--> statement-breakpoint
CREATE TRIGGER assessments_evidence_update AFTER UPDATE ON assessments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION evidence_changed_by_report();
--> statement-breakpoint
CREATE TRIGGER assessments_evidence_delete AFTER DELETE ON assessments REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION evidence_changed_by_report();
--> statement-breakpoint
CREATE TRIGGER observations_evidence_insert AFTER INSERT ON observations REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION evidence_changed_by_report();
--> statement-breakpoint
CREATE TRIGGER observations_evidence_update AFTER UPDATE ON observations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION evidence_changed_by_report();
--> statement-breakpoint
CREATE TRIGGER observations_evidence_delete AFTER DELETE ON observations REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION evidence_changed_by_report();
--> statement-breakpoint
CREATE TRIGGER organisations_evidence_update AFTER UPDATE ON organisations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION evidence_changed_by_organisation();
--> statement-breakpoint
CREATE TRIGGER reports_evidence_truncate AFTER TRUNCATE ON reports FOR EACH STATEMENT EXECUTE FUNCTION evidence_summary_reset();
--> statement-breakpoint
CREATE TRIGGER assessments_evidence_truncate AFTER TRUNCATE ON assessments FOR EACH STATEMENT EXECUTE FUNCTION evidence_summary_reset();
--> statement-breakpoint
CREATE TRIGGER observations_evidence_truncate AFTER TRUNCATE ON observations FOR EACH STATEMENT EXECUTE FUNCTION evidence_summary_reset();
--> statement-breakpoint
CREATE TRIGGER exclusions_evidence_truncate AFTER TRUNCATE ON exclusions FOR EACH STATEMENT EXECUTE FUNCTION evidence_summary_reset();
--> statement-breakpoint
CREATE TRIGGER organisations_evidence_truncate AFTER TRUNCATE ON organisations FOR EACH STATEMENT EXECUTE FUNCTION evidence_summary_reset();
