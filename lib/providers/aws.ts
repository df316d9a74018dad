// The only module that imports @cdktf/provider-aws. Submodule paths only: the package root loads all
// ~2,200 resource namespaces (seconds and ~1 GB per process); see docs/architecture.md.
export { AwsProvider } from '@cdktf/provider-aws/lib/provider';
export type { AwsProviderConfig } from '@cdktf/provider-aws/lib/provider';
export { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
export { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
// Network
export { Vpc } from '@cdktf/provider-aws/lib/vpc';
export { Subnet } from '@cdktf/provider-aws/lib/subnet';
export { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
export { RouteTable } from '@cdktf/provider-aws/lib/route-table';
export { Route } from '@cdktf/provider-aws/lib/route';
export { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
export { Eip } from '@cdktf/provider-aws/lib/eip';
export { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
export { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
export { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
export { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
export { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
export { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
// Compute
export { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
export { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
export { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
export { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
// IAM
export { IamRole } from '@cdktf/provider-aws/lib/iam-role';
export { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
export { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
export { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
export { IamUser } from '@cdktf/provider-aws/lib/iam-user';
export { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy';
export { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key';
export { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
export { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
// Load balancing, certificates, DNS
export { Lb } from '@cdktf/provider-aws/lib/lb';
export { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
export { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
export { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
export { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
export { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
export { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
export { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
// Data
export { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
export { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
export { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
export { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
export { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
// Storage and CDN
export { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
export { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
export { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
export { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
export { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
export { S3BucketCorsConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-cors-configuration';
export { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
export { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
export { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
export { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
export { CloudfrontFunction } from '@cdktf/provider-aws/lib/cloudfront-function';
