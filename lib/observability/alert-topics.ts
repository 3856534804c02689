import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { RdsDrConfig } from '../platform/config/schema.js';
import { alertKeyAliasName, alertTopicName, warningKeyAliasName, warningTopicName } from '../platform/config/runtime-settings.js';

/** Critical pages (email + PagerDuty); warning is email only. */
export type AlertSeverity = 'critical' | 'warning';

const TOPICS: Record<AlertSeverity, { name: (c: RdsDrConfig) => string; alias: (c: RdsDrConfig) => string; what: string; display: string }> = {
  critical: { name: alertTopicName, alias: alertKeyAliasName, what: 'alert', display: 'backup alerts' },
  warning: { name: warningTopicName, alias: warningKeyAliasName, what: 'warning', display: 'backup warnings' },
};

/**
 * One of a region's two alert topics, KMS-encrypted with its own rotating key (`<id>Key`), TLS only,
 * with the configured subscriptions. Names and key aliases are fixed and regional, so every stack
 * creates its own under the same names and its functions find them without a stack reference.
 */
export function createAlertTopic(scope: Construct, id: string, config: RdsDrConfig, severity: AlertSeverity): sns.Topic {
  const { name, alias, what, display } = TOPICS[severity];
  const key = new kms.Key(scope, `${id}Key`, {
    description: `${config.appName}: encrypts the rds-dr ${what} topic`,
    enableKeyRotation: true,
    // Publishers find the key by alias (kms:ResourceAliases), not by id (lib/platform/alert-publish.ts).
    alias: alias(config),
  });
  const topic = new sns.Topic(scope, id, {
    topicName: name(config),
    displayName: `${config.appName} ${display}`,
    masterKey: key,
    enforceSSL: true,
  });
  if (severity === 'warning') {
    for (const email of config.monitoring.warningEmails ?? config.alerts.emails) topic.addSubscription(new subscriptions.EmailSubscription(email));
    return topic;
  }
  for (const email of config.alerts.emails) topic.addSubscription(new subscriptions.EmailSubscription(email));
  // The PagerDuty URL is a credential: preferably read from an SSM String parameter by CloudFormation at
  // deploy time ({{resolve:ssm:…}}), so it appears in no config file, template or synth output. The
  // parameter is read in the stack's own region, so the DR stack needs it in the DR region too.
  const pagerDutyUrl = config.alerts.pagerDutyUrlParameter
    ? ssm.StringParameter.valueForStringParameter(scope, config.alerts.pagerDutyUrlParameter)
    : config.alerts.pagerDutyUrl;
  if (pagerDutyUrl) {
    topic.addSubscription(
      new subscriptions.UrlSubscription(pagerDutyUrl, {
        protocol: sns.SubscriptionProtocol.HTTPS,
        // PagerDuty's CloudWatch/SNS integration expects the SNS envelope.
        rawMessageDelivery: false,
      }),
    );
  }
  return topic;
}

/**
 * The DR stack's own critical and warning topics: DR-region alerts (drills, failover, restore, RDS
 * events, warnings) page from the DR region, so a primary-region outage cannot silence them.
 * (The primary stack's topics are made by Alerting and RpoMonitoring with the same factory, under
 * the construct ids they always had, so upgrading does not replace them.)
 */
export class AlertTopics extends Construct {
  readonly critical: sns.Topic;
  readonly warning: sns.Topic;

  constructor(scope: Construct, id: string, config: RdsDrConfig) {
    super(scope, id);
    this.critical = createAlertTopic(this, 'CriticalTopic', config, 'critical');
    this.warning = createAlertTopic(this, 'WarningTopic', config, 'warning');
  }
}
