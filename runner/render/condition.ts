// Conditions are Jinja expressions: see ./jinja/condition.ts.
export { conditionGuards, conditionRoots, evaluateCondition, evaluateConditions, parseCondition, type ConditionExpr, type ParseConditionResult } from './jinja/condition.js';
