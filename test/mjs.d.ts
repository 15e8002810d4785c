// The demo, mock API and n8n host scripts are plain ES modules; tests use them untyped.
declare module '*.mjs';
