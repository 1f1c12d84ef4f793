/** Types for the untyped `parse-prometheus-text-format` package (the parts the tests use). */
declare module 'parse-prometheus-text-format' {
	export type PrometheusSample = {value: string; labels?: Record<string, string>};
	export type PrometheusFamily = {name: string; help: string; type: string; metrics: PrometheusSample[]};
	export default function parsePrometheusTextFormat(text: string): PrometheusFamily[];
}
