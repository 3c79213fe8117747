/** One routing rule, as the admin API takes it and the database keeps it. */
export interface RoutingRule {
  currency?: string[];
  brand?: string[];
  /** Inclusive lower bound of the amount, in minor units. */
  amount_gte?: number;
  /** Exclusive upper bound. */
  amount_lt?: number;
  acquirers: string[];
}

export interface Routing {
  rules: RoutingRule[];
  default: string[];
}

export interface RoutedPayment {
  currency: string;
  brand: string;
  amount: number;
}

export function ruleHolds(rule: RoutingRule, payment: RoutedPayment): boolean {
  return (
    (rule.currency === undefined || rule.currency.includes(payment.currency)) &&
    (rule.brand === undefined || rule.brand.includes(payment.brand)) &&
    (rule.amount_gte === undefined || payment.amount >= rule.amount_gte) &&
    (rule.amount_lt === undefined || payment.amount < rule.amount_lt)
  );
}

/** The acquirers to try, in order: the first rule whose conditions all hold, else the default. */
export function acquirersFor(routing: Routing, payment: RoutedPayment): string[] {
  return routing.rules.find((rule) => ruleHolds(rule, payment))?.acquirers ?? routing.default;
}

/** Every acquirer id a routing names, with the dotted path of each (`rules[0].acquirers[1]`, `default[0]`). */
export function namedAcquirers(routing: Routing): { id: string; param: string }[] {
  return [
    ...routing.rules.flatMap((rule, r) => rule.acquirers.map((id, a) => ({ id, param: `rules[${r}].acquirers[${a}]` }))),
    ...routing.default.map((id, d) => ({ id, param: `default[${d}]` })),
  ];
}
