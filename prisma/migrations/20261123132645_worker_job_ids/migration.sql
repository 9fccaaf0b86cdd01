-- AlterTable
ALTER TABLE "worker_heartbeats" ADD COLUMN     "job_worker_ids" TEXT[] DEFAULT ARRAY[]::TEXT[];
