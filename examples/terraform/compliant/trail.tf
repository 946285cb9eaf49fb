# ------------------------------------------------------------------ CloudWatch Logs, SNS, trail

resource "aws_cloudwatch_log_group" "trail" {
  name_prefix       = "cloudtrail-"
  retention_in_days = var.retention_days
  kms_key_id        = aws_kms_key.trail.arn
}

resource "aws_iam_role" "trail_logs" {
  name_prefix = "cloudtrail-logs-"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })
}

resource "aws_iam_role_policy" "trail_logs" {
  name = "deliver-to-log-group"
  role = aws_iam_role.trail_logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "${aws_cloudwatch_log_group.trail.arn}:*"
    }]
  })
}

resource "aws_sns_topic" "trail" {
  name_prefix       = "cloudtrail-"
  kms_master_key_id = aws_kms_key.trail.id
}

resource "aws_sns_topic_policy" "trail" {
  arn = aws_sns_topic.trail.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "CloudTrailPublish"
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.trail.arn
      Condition = { StringEquals = { "aws:SourceArn" = local.trail_arn } }
    }]
  })
}

resource "aws_cloudtrail" "trail" {
  depends_on = [aws_s3_bucket_policy.trail, aws_sns_topic_policy.trail]

  name                          = var.trail_name
  enable_logging                = true
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_alias.trail.arn
  s3_bucket_name                = aws_s3_bucket.trail.id
  sns_topic_name                = aws_sns_topic.trail.name
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.trail_logs.arn

  insight_selector {
    insight_type = "ApiCallRateInsight"
  }
  insight_selector {
    insight_type = "ApiErrorRateInsight"
  }

  event_selector {
    read_write_type           = "All"
    include_management_events = true
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:${local.partition}:s3"]
    }
  }
}
