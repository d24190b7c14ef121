/**
 * Vendor-prefixed keys. Each regex starts at its keyword so the keyword window always holds the whole match. Ids follow
 * gitleaks where gitleaks has the rule, so existing `.gitleaksignore` fingerprints keep working.
 */
import type { RuleSpec } from '../types.js';
import { defineRule } from './define.js';

/** Token end: not followed by another token character. */
const END = '(?![A-Za-z0-9_-])';

export const VENDOR_RULES: RuleSpec[] = [
  defineRule({
    id: 'anthropic-api-key',
    description: 'Anthropic API key',
    regex: new RegExp(`\\b(sk-ant-(?:api|admin|oat)\\d{2}-[A-Za-z0-9_-]{80,120})${END}`),
    keywords: ['sk-ant-'],
    entropy: 3.5,
  }),
  defineRule({
    id: 'openai-api-key',
    description: 'OpenAI API key',
    regex: new RegExp(
      `\\b(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})${END}`,
    ),
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 't3blbkfj'],
    entropy: 3.5,
  }),
  // Stripe bodies are 24 (legacy) or about 99 characters; Clerk's are exactly 42, so the two never claim one key.
  defineRule({
    id: 'stripe-access-token',
    description: 'Stripe secret or restricted key',
    regex: /\b((?:sk|rk)_(?:live|test)_(?:[A-Za-z0-9]{24,34}|[A-Za-z0-9]{90,247}))(?![A-Za-z0-9])/,
    keywords: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'],
    entropy: 3,
  }),
  defineRule({
    id: 'clerk-secret-key',
    description: 'Clerk secret key',
    regex: /\b(sk_(?:live|test)_[A-Za-z0-9]{42})(?![A-Za-z0-9])/,
    keywords: ['sk_live_', 'sk_test_'],
    entropy: 3,
  }),
  defineRule({
    id: 'stripe-webhook-secret',
    description: 'Stripe webhook signing secret',
    regex: /\b(whsec_[A-Za-z0-9+/]{32,88})(?![A-Za-z0-9+/])/,
    keywords: ['whsec_'],
    entropy: 3,
  }),
  defineRule({
    id: 'supabase-service-role-jwt',
    description: 'Supabase service_role JWT (bypasses row-level security)',
    regex: /\b(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,})/,
    keywords: ['eyj'],
    validator: 'supabase-service-jwt',
  }),
  defineRule({
    id: 'supabase-secret-key',
    description: 'Supabase secret API key',
    regex: new RegExp(`\\b(sb_secret_[A-Za-z0-9_-]{20,80})${END}`),
    keywords: ['sb_secret_'],
    entropy: 3,
  }),
  defineRule({
    id: 'aws-access-token',
    description: 'AWS access key id',
    regex: /\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9])/,
    keywords: ['a3t', 'akia', 'asia', 'abia', 'acca'],
    entropy: 3,
  }),
  defineRule({
    id: 'aws-secret-access-key',
    description: 'AWS secret access key',
    regex:
      /(?:secret_?access_?key|aws_?secret_?key)["'`]?\s{0,4}(?:=|:=|:|=>)\s{0,4}["'`]?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/i,
    keywords: ['secret_access_key', 'secretaccesskey', 'aws_secret', 'awssecret'],
    entropy: 4,
  }),
  defineRule({
    id: 'github-pat',
    description: 'GitHub personal access token',
    regex: /\b(ghp_[A-Za-z0-9]{36})(?![A-Za-z0-9])/,
    keywords: ['ghp_'],
    entropy: 3,
  }),
  defineRule({
    id: 'github-oauth',
    description: 'GitHub OAuth access token',
    regex: /\b(gho_[A-Za-z0-9]{36})(?![A-Za-z0-9])/,
    keywords: ['gho_'],
    entropy: 3,
  }),
  defineRule({
    id: 'github-app-token',
    description: 'GitHub app token',
    regex: /\b((?:ghu|ghs)_[A-Za-z0-9]{36})(?![A-Za-z0-9])/,
    keywords: ['ghu_', 'ghs_'],
    entropy: 3,
  }),
  defineRule({
    id: 'github-fine-grained-pat',
    description: 'GitHub fine-grained personal access token',
    regex: /\b(github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])/,
    keywords: ['github_pat_'],
    entropy: 3,
  }),
  defineRule({
    id: 'slack-webhook-url',
    description: 'Slack incoming webhook URL',
    regex:
      /hooks\.slack\.com\/(?:services|workflows|triggers)\/((?:T[A-Z0-9]{6,12}\/B[A-Z0-9]{6,12}\/[A-Za-z0-9]{20,32})|[A-Za-z0-9+/]{43,56})(?![A-Za-z0-9])/,
    keywords: ['hooks.slack.com'],
  }),
  defineRule({
    id: 'slack-bot-token',
    description: 'Slack bot token',
    regex: /\b(xoxb-[0-9]{10,13}-[0-9]{10,13}(?:-[A-Za-z0-9]{20,32})?)(?![A-Za-z0-9-])/,
    keywords: ['xoxb-'],
  }),
  defineRule({
    id: 'slack-user-token',
    description: 'Slack user token',
    regex: /\b(xox[pe](?:-[0-9]{10,13}){3}-[A-Za-z0-9-]{28,34})(?![A-Za-z0-9-])/,
    keywords: ['xoxp-', 'xoxe-'],
  }),
  defineRule({
    id: 'resend-api-key',
    description: 'Resend API key',
    regex: /\b(re_[A-Za-z0-9]{8,12}_[A-Za-z0-9]{20,32})(?![A-Za-z0-9_])/,
    keywords: ['re_'],
    entropy: 3.5,
  }),
  defineRule({
    id: 'sentry-dsn-secret',
    description: 'Sentry DSN with a secret key',
    regex: /https?:\/\/[0-9a-f]{32}:([0-9a-f]{32})@[A-Za-z0-9.-]+(?::\d+)?\/(?:[\w.-]+\/)*\d+/,
    keywords: ['sentry', 'dsn'],
    secretGroup: 1,
  }),
  defineRule({
    id: 'sentry-org-token',
    description: 'Sentry organization auth token',
    regex: /\b(sntrys_eyJ[A-Za-z0-9+/=_-]{80,400})(?![A-Za-z0-9+/=_-])/,
    keywords: ['sntrys_'],
  }),
  defineRule({
    id: 'sentry-user-token',
    description: 'Sentry user auth token',
    regex: /\b(sntryu_[a-f0-9]{64})(?![a-f0-9])/,
    keywords: ['sntryu_'],
  }),
];
