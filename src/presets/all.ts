// Every preset, in the order a UI lists them.
import type { Preset } from '../types';
import { anthropic } from './anthropic';
import { apollo } from './apollo';
import { attio, clay, zoominfo } from './enrichment';
import { generic } from './generic';
import { googleSheets } from './googleSheets';
import { intercom, zendesk } from './helpdesk';
import { hubspot } from './hubspot';
import { dataverse, msgraph } from './microsoft';
import { openai } from './openai';
import { outreach } from './outreach';
import { pipedrive } from './pipedrive';
import { salesforce } from './salesforce';
import { salesloft } from './salesloft';
import { slack } from './slack';
import { stripe } from './stripe';
import { webhook } from './webhook';

export const ALL_PRESETS: Preset[] = [
	generic, webhook, hubspot, salesforce, outreach, salesloft, apollo, zoominfo, clay,
	openai, anthropic, stripe, slack, googleSheets, pipedrive, dataverse, msgraph, zendesk, intercom, attio,
];
