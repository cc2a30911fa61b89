import { qualifiedName, type OperationSource } from '../../core/catalog/lookup.js';

/**
 * What `spapi call` accepts as an operation name, for completion (design §3): every qualified
 * name, plus each operationId that occurs once in the catalog. A qualified name defined twice
 * (shippingV2 linkCarrierAccount, PUT and POST) is offered as `name:METHOD`, the only spelling
 * findOperation accepts for it. Ambiguous bare ids are left out: the qualified names cover them.
 */
export function operationNames(catalog: OperationSource): string[] {
  const qualified = new Map<string, string[]>();
  const bare = new Map<string, number>();
  for (const op of catalog.operations) {
    const name = qualifiedName(op);
    qualified.set(name, [...(qualified.get(name) ?? []), op.method]);
    bare.set(op.operationId, (bare.get(op.operationId) ?? 0) + 1);
  }
  const names: string[] = [];
  for (const [name, methods] of qualified) {
    if (methods.length === 1) names.push(name);
    else names.push(...methods.map((method) => `${name}:${method}`));
  }
  for (const [operationId, count] of bare) if (count === 1) names.push(operationId);
  return names.sort();
}
