variable "instance_class" {
  type        = string
  description = "RDS instance class of the ledger database."
  default     = "db.r6g.large"
}

variable "db_subnet_group" {
  type        = string
  description = "Subnet group of the payments VPC."
}

variable "security_group_id" {
  type        = string
  description = "Security group that admits the payments cluster."
}
