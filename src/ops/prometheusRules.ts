import { stringify } from 'yaml';
import type { AlertConfig } from '../config.js';
import { ALERT_RULES } from './alertRules.js';

/**
 * The operator alert rules as a Prometheus rule file (rule_files:), with the thresholds this
 * instance is configured with, for operators who alert from Prometheus and Alertmanager instead.
 * Database gauges are the same in every process, so rules take their max; counters are summed.
 */
export function prometheusRules(t: AlertConfig['thresholds']): string {
  const rules = ALERT_RULES.filter((r) => r.threshold(t) > 0).map((r) => {
    const p = r.prometheus(t);
    return {
      alert: p.alert,
      expr: p.expr,
      // Gauges read from the database at each scrape: two scrapes in a row, so one odd read does not page.
      for: '2m',
      labels: { severity: 'warning', service: 'lookout', lookout_rule: r.id },
      annotations: {
        summary: `Lookout: ${r.title}`,
        description: `${r.title}: {{ $value }} (threshold ${r.threshold(t)}). Run lookout status on the instance.`,
      },
    };
  });
  return stringify({ groups: [{ name: 'lookout', rules }] }, { lineWidth: 0 });
}
