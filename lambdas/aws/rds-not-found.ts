// Reading an RDS resource that may not exist: "not found" is an answer, not an error.

// SDK v3 names the errors after the RDS fault codes; some APIs drop the "Fault" suffix.
const NOT_FOUND = new Set([
  'DBInstanceNotFoundFault', 'DBInstanceNotFound', 'DBClusterNotFoundFault', 'DBClusterNotFound',
  'GlobalClusterNotFoundFault', 'GlobalClusterNotFound', 'DBInstanceAutomatedBackupNotFoundFault', 'DBInstanceAutomatedBackupNotFound',
  'DBSnapshotNotFoundFault', 'DBSnapshotNotFound', 'DBClusterSnapshotNotFoundFault', 'DBClusterSnapshotNotFound',
]);

export const isRdsNotFound = (err: unknown): boolean => NOT_FOUND.has((err as Error)?.name);

/** The call's result, or undefined when RDS says the resource does not exist. */
export async function orUndefined<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (isRdsNotFound(err)) return undefined;
    throw err;
  }
}
