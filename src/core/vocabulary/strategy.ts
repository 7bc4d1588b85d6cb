/** How routing picks among a rule's candidates (`routing.strategy`): the rule table or the records. */
export const STRATEGIES = ["baseline", "performance", "cost", "balanced", "learning"] as const;
export type Strategy = (typeof STRATEGIES)[number];
