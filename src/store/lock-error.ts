/** The lock could not be taken for a reason the operator can fix (not because it is busy). Its own module so that naming it loads no lock. */
export class LockError extends Error {
	override name = 'LockError';
}
