import type { Attributes, AttributeValue } from './stored-span.js';

/**
 * Sets attribute `key` on `into` as its own property, whatever the key: a key of
 * `__proto__`, which a sender may send like any other, would otherwise set the object's
 * prototype, and the attribute would be lost while the prototype's fields looked like attributes.
 */
export function putAttribute(into: Attributes, key: string, value: AttributeValue): void {
  if (key === '__proto__') {
    Object.defineProperty(into, key, { value, enumerable: true, writable: true, configurable: true });
  } else into[key] = value;
}
