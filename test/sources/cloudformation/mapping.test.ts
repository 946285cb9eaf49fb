// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation placeholders are literal ${...} strings
import { describe, expect, it } from "vitest";
import { errorsOf, read, reasonOf } from "./helpers.js";

describe("AWS::CloudTrail::Trail", () => {
  it("fills every field, with CloudFormation's defaults when absent", () => {
    const fragment = read(`Resources:
  Minimal:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: false
      S3BucketName: logs
`);
    expect(fragment.trails).toHaveLength(1);
    const {
      fieldLocations: _f,
      origin,
      ...trail
    } = fragment.trails[0] as NonNullable<(typeof fragment.trails)[0]>;
    expect(origin).toEqual({
      address: "template.yaml#Minimal",
      location: expect.objectContaining({ file: "template.yaml", line: 2, column: 3 }),
      unit: "template.yaml",
    });
    expect(trail).toEqual({
      kind: "trail",
      id: "template.yaml#Minimal",
      name: "${Minimal}",
      arn: "${Minimal.Arn}",
      accountId: "${AWS::AccountId}",
      homeRegion: "${AWS::Region}",
      isMultiRegionTrail: false,
      isOrganizationTrail: false,
      isLogging: false,
      includeGlobalServiceEvents: true,
      logFileValidationEnabled: false,
      kmsKeyId: null,
      s3BucketName: "logs",
      s3KeyPrefix: null,
      snsTopic: null,
      cloudWatchLogsLogGroupArn: null,
      cloudWatchLogsRoleArn: null,
      eventSelectors: null,
      advancedEventSelectors: null,
      insightTypes: [],
      links: {},
    });
  });

  it("points field locations at the property key, or at the resource's logical id when the property is absent", () => {
    const [trail] = read(`Resources:
  T:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      IsMultiRegionTrail:
        false
`).trails;
    expect(trail?.fieldLocations.isMultiRegionTrail).toMatchObject({ line: 6, column: 7, endLine: 7 });
    expect(trail?.fieldLocations.isLogging).toMatchObject({ line: 5, column: 7 });
    expect(trail?.fieldLocations.logFileValidationEnabled).toMatchObject({ line: 2, column: 3 });
    for (const field of ["name", "kmsKeyId", "s3BucketName", "eventSelectors", "insightTypes", "snsTopic"]) {
      expect(trail?.fieldLocations[field], field).toBeDefined();
    }
  });

  it("makes a missing IsLogging Unknown (CloudFormation requires it)", () => {
    const [trail] = read(
      `Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      S3BucketName: b\n`,
    ).trails;
    expect(reasonOf(trail?.isLogging)).toBe("IsLogging is required by CloudFormation and missing");
  });

  it("ignores KmsKeyId (not a CloudFormation property) with a warning", () => {
    const fragment = read(`Resources:
  T:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      KmsKeyId: alias/trail
`);
    expect(fragment.trails[0]?.kmsKeyId).toBeNull();
    const [warning] = errorsOf(fragment, "warning");
    expect(warning).toMatchObject({ file: "template.yaml", line: 6, column: 7 });
    expect(warning?.message).toContain("unknown property KmsKeyId, did you mean KMSKeyId?");
  });

  it("reads event selectors, advanced selectors and insight selectors", () => {
    const [trail] = read(`Resources:
  T:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      EventSelectors:
        - DataResources:
            - Type: AWS::S3::Object
              Values: ["arn:aws:s3"]
        - ReadWriteType: WriteOnly
          IncludeManagementEvents: "false"
          ExcludeManagementEventSources: [kms.amazonaws.com]
      AdvancedEventSelectors:
        - Name: s3
          FieldSelectors:
            - Field: eventCategory
              Equals: [Data]
      InsightSelectors:
        - InsightType: ApiCallRateInsight
        - InsightType: ApiErrorRateInsight
`).trails;
    expect(trail?.eventSelectors).toEqual([
      {
        readWriteType: "All",
        includeManagementEvents: true,
        excludeManagementEventSources: [],
        dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }],
      },
      {
        readWriteType: "WriteOnly",
        includeManagementEvents: false,
        excludeManagementEventSources: ["kms.amazonaws.com"],
        dataResources: [],
      },
    ]);
    expect(trail?.advancedEventSelectors).toEqual([
      {
        name: "s3",
        fieldSelectors: [
          {
            field: "eventCategory",
            equals: ["Data"],
            notEquals: null,
            startsWith: null,
            notStartsWith: null,
            endsWith: null,
            notEndsWith: null,
          },
        ],
      },
    ]);
    expect(trail?.insightTypes).toEqual(["ApiCallRateInsight", "ApiErrorRateInsight"]);
    expect(trail?.fieldLocations["eventSelectors[1].readWriteType"]).toMatchObject({ line: 10 });
  });
});

const BUCKETS = `Resources:
  AccessLogs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: access-logs
      AccessControl: LogDeliveryWrite
  TrailBucket:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: "true"
      VersioningConfiguration:
        Status: Enabled
      ObjectLockEnabled: true
      ObjectLockConfiguration:
        ObjectLockEnabled: Enabled
        Rule:
          DefaultRetention:
            Mode: GOVERNANCE
            Years: 1
      LoggingConfiguration:
        DestinationBucketName: !Ref AccessLogs
        LogFilePrefix: trail/
      LifecycleConfiguration:
        Rules:
          - Id: expire
            Status: Enabled
            ExpirationInDays: 400
            NoncurrentVersionExpiration:
              NoncurrentDays: 30
          - Status: Disabled
            Filter:
              Prefix: tmp/
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: alias/logs
      OwnershipControls:
        Rules:
          - ObjectOwnership: BucketOwnerEnforced
  SelfLogged:
    Type: AWS::S3::Bucket
    Properties:
      WebsiteConfiguration: {IndexDocument: index.html}
      LoggingConfiguration: {}
  TrailBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref TrailBucket
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: DenyInsecure
            Effect: Deny
            Principal: "*"
            Action: "s3:*"
            Resource: [!GetAtt TrailBucket.Arn, !Sub "\${TrailBucket.Arn}/*"]
            Condition:
              Bool: {"aws:SecureTransport": false}
          - Effect: Allow
            Principal: {Service: cloudtrail.amazonaws.com, AWS: ["arn:aws:iam::111122223333:root", "*"]}
            Action: [s3:PutObject]
            Resource: !Sub "arn:\${AWS::Partition}:s3:::\${TrailBucket}/AWSLogs/\${AWS::AccountId}/*"
            Condition:
              StringEquals:
                AWS:SourceArn: !Sub "arn:\${AWS::Partition}:cloudtrail:\${AWS::Region}:\${AWS::AccountId}:trail/main"
  LogsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: access-logs
      PolicyDocument: '{"Statement": {"Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::access-logs/*"}}'
`;

describe("AWS::S3::Bucket and AWS::S3::BucketPolicy", () => {
  const fragment = read(BUCKETS);
  const bucket = (id: string) => {
    const b = fragment.buckets.find((x) => x.id === `template.yaml#${id}`);
    if (!b) throw new Error(id);
    return b;
  };

  it("maps the bucket settings", () => {
    const b = bucket("TrailBucket");
    expect(b).toMatchObject({
      name: "${TrailBucket}",
      arn: "${TrailBucket.Arn}",
      publicAccessBlock: {
        blockPublicAcls: true,
        ignorePublicAcls: false,
        blockPublicPolicy: true,
        restrictPublicBuckets: false,
      },
      cannedAcl: null,
      aclGrants: [],
      versioning: "Enabled",
      objectLock: { enabled: true, mode: "GOVERNANCE", retentionDays: 365 },
      logging: { targetBucket: "access-logs", targetPrefix: "trail/" },
      lifecycleRules: [
        {
          id: "expire",
          enabled: true,
          prefix: null,
          expirationDays: 400,
          noncurrentVersionExpirationDays: 30,
        },
        {
          id: null,
          enabled: false,
          prefix: "tmp/",
          expirationDays: null,
          noncurrentVersionExpirationDays: null,
        },
      ],
      encryption: { algorithm: "aws:kms", kmsKeyId: "alias/logs" },
      website: false,
      objectOwnership: "BucketOwnerEnforced",
      links: { loggingTarget: "template.yaml#AccessLogs" },
    });
    expect(reasonOf(b.mfaDelete)).toBe("MFA delete cannot be set or seen in CloudFormation");
    expect(b.fieldLocations["publicAccessBlock.blockPublicAcls"]).toMatchObject({ line: 11, column: 9 });
    expect(b.fieldLocations["publicAccessBlock.ignorePublicAcls"]).toMatchObject({ line: 10, column: 7 });
    expect(b.fieldLocations["lifecycleRules[0].expirationDays"]).toMatchObject({ line: 29 });
  });

  it("normalizes AccessControl to the S3 canned ACL and treats a missing log destination as the bucket itself", () => {
    expect(bucket("AccessLogs").cannedAcl).toBe("log-delivery-write");
    expect(bucket("AccessLogs").logging).toBeNull();
    expect(bucket("SelfLogged")).toMatchObject({
      logging: { targetBucket: "${SelfLogged}", targetPrefix: null },
      links: { loggingTarget: "template.yaml#SelfLogged" },
      website: true,
      versioning: null,
      objectLock: null,
      lifecycleRules: [],
      policy: null,
    });
  });

  it("applies S3's defaults for new buckets to settings the template leaves out", () => {
    expect(bucket("SelfLogged")).toMatchObject({
      publicAccessBlock: {
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      },
      encryption: { algorithm: "AES256", kmsKeyId: null },
      objectOwnership: "BucketOwnerEnforced",
    });
  });

  it("attaches a policy given by !Ref, normalizing principals, actions, resources and condition keys", () => {
    const policy = bucket("TrailBucket").policy;
    expect(policy).toEqual({
      statements: [
        {
          sid: "DenyInsecure",
          effect: "Deny",
          principals: ["*"],
          notPrincipals: null,
          actions: ["s3:*"],
          notActions: null,
          resources: ["${TrailBucket.Arn}", "${TrailBucket.Arn}/*"],
          conditions: [{ operator: "Bool", key: "aws:securetransport", values: ["false"] }],
          location: expect.objectContaining({ line: 55, column: 13 }),
        },
        {
          sid: null,
          effect: "Allow",
          principals: ["Service:cloudtrail.amazonaws.com", "AWS:arn:aws:iam::111122223333:root", "*"],
          notPrincipals: null,
          actions: ["s3:PutObject"],
          notActions: null,
          resources: ["arn:${AWS::Partition}:s3:::${TrailBucket}/AWSLogs/${AWS::AccountId}/*"],
          conditions: [
            {
              operator: "StringEquals",
              key: "aws:sourcearn",
              values: ["arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/main"],
            },
          ],
          location: expect.objectContaining({ line: 62 }),
        },
      ],
    });
  });

  it("attaches a JSON-string policy by bucket name", () => {
    expect(bucket("AccessLogs").policy).toMatchObject({
      statements: [
        {
          effect: "Allow",
          principals: ["Service:logging.s3.amazonaws.com"],
          actions: ["s3:PutObject"],
          resources: ["arn:aws:s3:::access-logs/*"],
          conditions: [],
        },
      ],
    });
    expect(errorsOf(fragment, "warning")).toEqual([]);
  });
});

describe("other resource types", () => {
  const fragment = read(`Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      Enabled: false
  Group:
    Type: AWS::Logs::LogGroup
    Properties:
      KmsKeyId: !GetAtt Key.Arn
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: trail-events
      Subscription:
        - Protocol: email
          Endpoint: ops@example.com
  Queue:
    Type: AWS::SQS::Queue
  QueueSubscription:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Topic
      Protocol: sqs
      Endpoint: !GetAtt Queue.Arn
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: StopLogging
      Namespace: CloudTrailMetrics
      AlarmActions: [!Ref Topic]
  Store:
    Type: AWS::CloudTrail::EventDataStore
`);

  it("KMS key defaults and a disabled key", () => {
    expect(fragment.keys[0]).toMatchObject({
      keyId: "${Key}",
      keyManager: "CUSTOMER",
      keySpec: "SYMMETRIC_DEFAULT",
      keyState: "Disabled",
      rotationEnabled: false,
      aliases: [],
    });
  });

  it("log group without retention never expires", () => {
    expect(fragment.logGroups[0]).toMatchObject({
      name: "${Group}",
      retentionInDays: null,
      kmsKeyId: "${Key.Arn}",
    });
  });

  it("topic with an inline and a separate subscription", () => {
    const [topic] = fragment.topics;
    expect(topic?.name).toBe("trail-events");
    const subs = topic?.subscriptions as { protocol: string; endpoint: string; confirmed: unknown }[];
    expect(subs.map((s) => [s.protocol, s.endpoint])).toEqual([
      ["email", "ops@example.com"],
      ["sqs", "${Queue.Arn}"],
    ]);
    expect(reasonOf(subs[0]?.confirmed)).toContain("confirmed by their receiver");
    expect(subs[1]?.confirmed).toBe(true);
  });

  it("alarm", () => {
    expect(fragment.alarms[0]).toMatchObject({
      name: "${Alarm}",
      metricName: "StopLogging",
      namespace: "CloudTrailMetrics",
      actionsEnabled: true,
      alarmActions: ["trail-events"],
    });
  });

  it("event data store defaults", () => {
    expect(fragment.eventDataStores[0]).toMatchObject({
      name: "${Store}",
      status: "ENABLED",
      multiRegionEnabled: true,
      organizationEnabled: false,
      retentionPeriodDays: 2557,
      terminationProtectionEnabled: true,
      kmsKeyId: null,
      advancedEventSelectors: null,
    });
  });
});

describe("the fields of a resource", () => {
  it("come in one order for every resource of a kind: the common fields first, existence only when undecided", () => {
    const fragment = read(`Parameters:\n  Env: {Type: String}\nConditions:\n  Prod: !Equals [!Ref Env, prod]
Resources:
  Bare:
    Type: AWS::S3::Bucket
  Full:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: {Status: Enabled}
      LoggingConfiguration: {LogFilePrefix: logs/}
      BucketName: full
  Maybe:
    Type: AWS::S3::Bucket
    Condition: Prod
    Properties:
      BucketName: maybe
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties: {IsLogging: true, S3BucketName: !Ref Full}
  OtherTrail:
    Type: AWS::CloudTrail::Trail
    Condition: Prod
    Properties: {S3BucketName: elsewhere, IsLogging: false, TrailName: other}
`);
    const [bare, full, maybe] = fragment.buckets.map((b) => Object.keys(b));
    const [trail, other] = fragment.trails.map((t) => Object.keys(t));
    const common = ["kind", "id", "origin", "fieldLocations"];
    expect(bare?.slice(0, 5)).toEqual([...common, "name"]);
    expect(full).toEqual(bare);
    expect(maybe).toEqual([...common, "existence", ...(bare ?? []).slice(4)]);
    expect(trail?.slice(0, 5)).toEqual([...common, "name"]);
    expect(other).toEqual([...common, "existence", ...(trail ?? []).slice(4)]);
    expect(fragment.buckets[2]?.existence?.reason).toContain("condition Prod");
  });
});

describe("suppressions", () => {
  const fragment = read(`Resources:
  # trailguard:ignore TG001 logs are copied to the audit account
  A:
    Type: AWS::CloudTrail::Trail
    Properties: {IsLogging: true}
  B: # trailguard:ignore TG002
    Type: AWS::CloudTrail::Trail
    Metadata:
      guard:
        SuppressedRules: [CLOUD_TRAIL_ENABLED]
      trailguard:
        ignore:
          - rule: TG003
            reason: managed by the organization trail
          - rule: TG004
    Properties: {IsLogging: true}
`);
  const [a, b] = fragment.trails;

  it("reads comment and Metadata suppressions", () => {
    expect(a?.suppressions).toEqual([
      {
        ruleId: "TG001",
        reason: "logs are copied to the audit account",
        location: expect.objectContaining({ line: 2, column: 3 }),
      },
    ]);
    expect(b?.suppressions).toEqual([
      {
        ruleId: "TG003",
        reason: "managed by the organization trail",
        location: expect.objectContaining({ line: 13 }),
      },
    ]);
  });

  it("reports suppressions without a reason and does not apply them", () => {
    const messages = errorsOf(fragment, "warning").map((w) => w.message);
    expect(messages).toContain("suppression of TG002 has no reason; it is not applied (template.yaml:6)");
    expect(messages).toContain("suppression of TG004 has no reason; it is not applied (template.yaml:15)");
  });
});

describe("field locations", () => {
  it("exist for every field of every resource", () => {
    const fragment = read(`${BUCKETS}  Key:
    Type: AWS::KMS::Key
  Group:
    Type: AWS::Logs::LogGroup
  Topic:
    Type: AWS::SNS::Topic
  Filter:
    Type: AWS::Logs::MetricFilter
    Properties: {LogGroupName: !Ref Group, FilterPattern: "", MetricTransformations: []}
  Alarm:
    Type: AWS::CloudWatch::Alarm
  Store:
    Type: AWS::CloudTrail::EventDataStore
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties: {IsLogging: true}
`);
    const resources = [
      ...fragment.trails,
      ...fragment.buckets,
      ...fragment.keys,
      ...fragment.logGroups,
      ...fragment.metricFilters,
      ...fragment.alarms,
      ...fragment.topics,
      ...fragment.eventDataStores,
    ];
    expect(resources).toHaveLength(10);
    for (const resource of resources) {
      for (const field of Object.keys(resource)) {
        if (["kind", "id", "origin", "fieldLocations", "suppressions", "links"].includes(field)) continue;
        expect(resource.fieldLocations[field], `${resource.id} ${field}`).toMatchObject({
          file: "template.yaml",
          line: expect.any(Number),
          column: expect.any(Number),
        });
      }
    }
    const trail = fragment.trails[0];
    expect(trail?.fieldLocations.arn?.line).toBe(trail?.origin.location?.line);
  });
});

describe("a bucket policy whose bucket cannot be told", () => {
  it("leaves every bucket of the template with an unknown policy, not 'no policy'", () => {
    const fragment = read(`Resources:
  Logs:
    Type: AWS::S3::Bucket
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !ImportValue shared-bucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: "*"
`);
    expect(reasonOf(fragment.buckets[0]?.policy)).toContain("cannot be told");
    expect(errorsOf(fragment, "warning").some((e) => e.message.includes("Policy"))).toBe(true);
  });
});

describe("lifecycle expiry on a date", () => {
  it("is unknown for retention, not 'never expires'", () => {
    const fragment = read(`Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      LifecycleConfiguration:
        Rules:
          - Status: Enabled
            ExpirationDate: "2027-01-01T00:00:00Z"
`);
    const rules = fragment.buckets[0]?.lifecycleRules;
    expect(Array.isArray(rules) && reasonOf(rules[0]?.expirationDays)).toContain("ExpirationDate");
  });
});
