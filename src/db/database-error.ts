/** A problem with the database file an operator can fix; the message names the file. */
export class DatabaseError extends Error {
	override name = 'DatabaseError';
}
