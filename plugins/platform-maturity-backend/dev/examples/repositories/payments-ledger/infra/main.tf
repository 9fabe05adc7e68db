terraform {
  required_version = ">= 1.9"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
    datadog = {
      source  = "DataDog/datadog"
      version = "~> 3.49"
    }
  }
  backend "s3" {
    bucket = "acme-terraform-state"
    key    = "payments/payments-ledger.tfstate"
    region = "eu-west-1"
  }
}

resource "aws_db_instance" "ledger" {
  identifier                  = "ledger-db"
  engine                      = "postgres"
  engine_version              = "16.4"
  instance_class              = var.instance_class
  allocated_storage           = 200
  storage_encrypted           = true
  multi_az                    = true
  username                    = "ledger"
  manage_master_user_password = true
  backup_retention_period     = 35
  deletion_protection         = true
  db_subnet_group_name        = var.db_subnet_group
  vpc_security_group_ids      = [var.security_group_id]
}

resource "datadog_monitor" "ledger_unbalanced_entries" {
  name    = "payments-ledger: unbalanced entries rejected"
  type    = "metric alert"
  query   = "sum(last_10m):sum:ledger.entries.rejected{reason:unbalanced}.as_count() > 10"
  message = "Unbalanced journal entries are being posted. @pagerduty-payments-ledger"
}
