const special = /[&<>"']/;

/** Escape text for HTML and XML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
	return special.test(text) ? text.replaceAll(/[&<>"']/g, character => `&#${character.codePointAt(0)};`) : text;
}
