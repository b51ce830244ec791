/**
 * Whether a Prisma error is a unique-constraint violation (P2002), so a procedure can
 * turn it into its own domain error instead of a 500.
 */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
