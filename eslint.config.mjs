// n8n's own community-node lint rules, without the n8n Cloud rules: our Redis and PostgreSQL
// clients make the package unverifiable for Cloud by design (see README, "Where it runs").
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

export default configWithoutCloudSupport;
