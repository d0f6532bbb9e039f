ALTER TABLE "build_runs" ADD COLUMN "evaluated" integer;--> statement-breakpoint
ALTER TABLE "build_runs" ADD COLUMN "full" boolean;