import type { Alarm, Maybe } from "../model/index.js";

type Setting =
  | "statistic"
  | "period"
  | "evaluationPeriods"
  | "datapointsToAlarm"
  | "threshold"
  | "comparisonOperator"
  | "treatMissingData";

/**
 * The settings of a metric alarm a monitoring check reads, as the CloudWatch API / CloudFormation / AWS CLI name
 * them, as Terraform does, and as the model does. Every source reads them from this one table; each is `null` when
 * the alarm leaves it unset.
 */
export const ALARM_SETTINGS: readonly {
  api: string;
  terraform: string;
  model: Setting & keyof Alarm;
  type: "string" | "number";
}[] = [
  { api: "Statistic", terraform: "statistic", model: "statistic", type: "string" },
  { api: "Period", terraform: "period", model: "period", type: "number" },
  { api: "EvaluationPeriods", terraform: "evaluation_periods", model: "evaluationPeriods", type: "number" },
  { api: "DatapointsToAlarm", terraform: "datapoints_to_alarm", model: "datapointsToAlarm", type: "number" },
  { api: "Threshold", terraform: "threshold", model: "threshold", type: "number" },
  {
    api: "ComparisonOperator",
    terraform: "comparison_operator",
    model: "comparisonOperator",
    type: "string",
  },
  { api: "TreatMissingData", terraform: "treat_missing_data", model: "treatMissingData", type: "string" },
];

export type AlarmSettings = Pick<Alarm, Setting>;

/** Reads every setting of the table with the source's own readers, a string or a number as `type` says. */
export function readAlarmSettings(
  read: (setting: (typeof ALARM_SETTINGS)[number]) => Maybe<string | number | null>,
): AlarmSettings {
  return Object.fromEntries(ALARM_SETTINGS.map((s) => [s.model, read(s)])) as AlarmSettings;
}
