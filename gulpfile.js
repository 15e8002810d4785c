// Copies what tsc does not emit (node icons and codex files) next to the compiled nodes.
const { src, dest } = require('gulp');

function buildAssets() {
	return src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:assets'] = buildAssets;
