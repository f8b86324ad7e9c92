/**
 * The router's evaluation set: prompts with the tier a careful engineer would choose for them.
 * simple: small talk, lookups, definitions, short translation, extraction or classification of
 * a sentence. medium: explanations, summaries, ordinary writing, small functions, everyday
 * debugging. complex: design, multi-step plans, long documents, substantial code, subtle
 * debugging, nuanced analysis. reasoning: proofs, derivations, multi-step math and logic puzzles,
 * algorithmic correctness. Written by hand across domains; the estimator's defaults were set from
 * this set, and the test reports how well they agree.
 */
export type Tier = 'simple' | 'medium' | 'complex' | 'reasoning';

export interface LabeledPrompt {
  tier: Tier;
  prompt: string;
  system?: string;
  /** Earlier turns before the prompt (alternating user/assistant). */
  history?: string[];
  tools?: number;
  maxTokens?: number;
}

const REPORT_PARAGRAPH =
  'Quarterly revenue grew 12 percent year over year, driven by enterprise subscriptions in Europe and North America, while churn in the small business segment rose to 4.1 percent after the price change in March. Operating costs increased because of new data centre commitments and a larger support team. The board asked management to revisit the pricing tiers, to reduce onboarding time, and to report on the risk of depending on two large customers who together account for 18 percent of bookings. ';
const longReport = (paragraphs: number): string => REPORT_PARAGRAPH.repeat(paragraphs);
const CODE_FILE = `import { readFile } from 'node:fs/promises';

export async function loadUsers(path: string): Promise<User[]> {
  const text = await readFile(path, 'utf8');
  const rows = text.split('\\n').filter(Boolean);
  return rows.map((row) => {
    const [id, name, email] = row.split(',');
    return { id: Number(id), name, email };
  });
}

export function findDuplicates(users: User[]): User[] {
  const seen = new Map<string, User>();
  const duplicates: User[] = [];
  for (const user of users) {
    if (seen.has(user.email)) duplicates.push(user);
    seen.set(user.email, user);
  }
  return duplicates;
}
`;

const s = (prompt: string, extra: Partial<LabeledPrompt> = {}): LabeledPrompt => ({ tier: 'simple', prompt, ...extra });
const m = (prompt: string, extra: Partial<LabeledPrompt> = {}): LabeledPrompt => ({ tier: 'medium', prompt, ...extra });
const c = (prompt: string, extra: Partial<LabeledPrompt> = {}): LabeledPrompt => ({ tier: 'complex', prompt, ...extra });
const r = (prompt: string, extra: Partial<LabeledPrompt> = {}): LabeledPrompt => ({ tier: 'reasoning', prompt, ...extra });

export const LABELED_PROMPTS: readonly LabeledPrompt[] = [
  // simple
  s('Hi! How are you today?'),
  s('Thanks, that was helpful.'),
  s('Good morning!'),
  s('What is the capital of Australia?'),
  s('Who wrote "One Hundred Years of Solitude"?'),
  s('How many ounces are in a pound?'),
  s('What does HTTP stand for?'),
  s('Define the word "ubiquitous".'),
  s('Translate "Where is the train station?" into French.'),
  s('Translate to Spanish: I would like a coffee, please.'),
  s('What is the boiling point of water in Fahrenheit?'),
  s('Is a tomato a fruit or a vegetable?'),
  s('What year did the Berlin Wall fall?'),
  s('Give me a synonym for "happy".'),
  s('Spell "necessary" backwards.'),
  s('Classify the sentiment of this review as positive or negative: "The battery died after two days."'),
  s('Is this email spam? "Congratulations, you won a free cruise, click here."'),
  s('Extract the date from: "The meeting is moved to March 14, 2025 at 10am."'),
  s('Extract the email address from: "Contact jane.doe@example.com for details."'),
  s('What language is this: "Dziękuję bardzo"?'),
  s('Convert 5 kilometers to miles.'),
  s('What is 15 times 4?'),
  s('Capitalize this title: the lord of the rings'),
  s('What is the plural of "cactus"?'),
  s('Which planet is closest to the sun?'),
  s('What time zone is New York in?'),
  s('Tell me a fun fact about octopuses.'),
  s('Suggest a name for a golden retriever puppy.'),
  s('What is the chemical symbol for gold?'),
  s('Rewrite in lowercase: HELLO WORLD'),
  s('Is Python case sensitive?'),
  s('What port does HTTPS use by default?'),
  s('What is the keyboard shortcut to copy on a Mac?'),
  s('Tag this support ticket with one of billing, bug, feature: "I was charged twice this month."'),
  s('Answer yes or no: is 7 a prime number?'),
  s('What is the opposite of "ancient"?'),
  s('How do you say "thank you" in Japanese?'),
  s('Name three primary colors.'),
  s('What is the square root of 81?'),
  s('Which is bigger, a kilobyte or a megabyte?'),
  s('Format this phone number: 5551234567'),
  s('What does CPU stand for?'),
  s('Who painted the Mona Lisa?'),
  s('Give me a one-word summary of the mood: "I finally got the job!"'),
  s('What is the currency of Japan?'),
  s('Hello, can you hear me?'),
  s('What is the git command to see the current branch?'),
  s('How many days are in a leap year?'),
  s('Turn this into a hashtag: summer vacation vibes'),
  s('Is "their" or "there" correct: ___ house is big.'),
  s('What is the freezing point of water in Celsius?'),
  s('What does "LGTM" mean in code review?'),
  s('Which command lists files in a directory on Linux?'),
  s('Return the country in this address as JSON {"country": ...}: 10 Downing Street, London, United Kingdom'),
  s('What is the default port of PostgreSQL?'),

  // medium
  m('Explain how HTTPS keeps data private, in a paragraph.'),
  m('Summarize the main ideas of the theory of evolution for a high school student.'),
  m('Write a polite email to my landlord asking to fix a leaking tap.'),
  m('Write a Python function that checks whether a string is a palindrome.'),
  m('Write a JavaScript function that debounces another function.'),
  m('What is the difference between a list and a tuple in Python?'),
  m('Explain what a closure is in JavaScript with a short example.'),
  m('Why does my Python code raise "TypeError: can only concatenate str (not "int") to str"?'),
  m('Fix this SQL: SELECT name, COUNT(*) FROM users GROUP BY;'),
  m('Write a bash one-liner that counts the lines of all .ts files in a folder, recursively.'),
  m('Summarize this paragraph in two sentences: ' + REPORT_PARAGRAPH),
  m('Write a short cover letter for a junior frontend developer position.'),
  m('Give me a 3-day itinerary for Lisbon.'),
  m('Explain the difference between TCP and UDP with examples of when to use each.'),
  m('Write a regular expression that validates a UK postcode and explain it.'),
  m('What are the pros and cons of remote work?'),
  m('Convert this JSON to YAML: {"name": "app", "replicas": 3, "ports": [80, 443]}'),
  m('Write unit tests with Jest for a function add(a, b).'),
  m('Explain how a hash map handles collisions.'),
  m('Draft a product description for noise-cancelling headphones, about 100 words.'),
  m('What is dependency injection and why is it useful?'),
  m('Rewrite this paragraph to be more concise and professional: "So basically we kind of think that maybe the project could be done by next month if everything goes okay."'),
  m('Explain the CAP theorem in simple terms.'),
  m('Write a SQL query that returns the top 5 customers by total order value.'),
  m('How do I set up a Python virtual environment and install requirements?'),
  m('Explain the difference between let, const and var in JavaScript.'),
  m('Give me ten interview questions for a data analyst role.'),
  m('Write a haiku and a limerick about debugging.'),
  m('Why is my React component re-rendering on every keystroke? I store the input value in state.'),
  m('Translate this paragraph into German: ' + REPORT_PARAGRAPH),
  m('Explain what Docker volumes are and when to use them.'),
  m('Write a function in Go that reverses a slice of ints in place.'),
  m('What causes inflation, and how do central banks respond?'),
  m('Create a weekly meal plan for a vegetarian on a budget.'),
  m('Explain recursion with a factorial example in Python.'),
  m('Write a Dockerfile for a Node.js Express app.'),
  m('Compare PostgreSQL and MySQL for a small web app.'),
  m('Extract all the people, companies and dates from this text as JSON: "On 3 May, Maria Lopez of Acme Corp met Tom Chen from Globex to sign the deal announced on 28 April."'),
  m('Classify these five support tickets by urgency and explain each choice briefly: 1) site down, 2) typo on pricing page, 3) cannot reset password, 4) feature request for dark mode, 5) invoice shows wrong VAT.'),
  m('Explain big O notation with examples of O(1), O(n) and O(n log n).'),
  m('Write a git commit message for a change that adds input validation to the signup form.'),
  m('Explain how garbage collection works in Java.'),
  m('What should I consider when choosing a laptop for programming?'),
  m('Write a Python script that downloads a web page and prints all its links.'),
  m('Describe the water cycle for a ten-year-old.'),
  m('Here is my code, why does it print undefined?\n\nfunction getName(user) {\n  user.name;\n}\nconsole.log(getName({ name: "Ana" }));'),
  m('Write a README introduction for a CLI tool that converts CSV to JSON.'),
  m('Explain the difference between authentication and authorization.'),
  m('Suggest five names for a productivity app and explain the idea behind each.'),
  m('How does public key cryptography work, briefly?'),
  m('Write a TypeScript interface for a blog post with tags and comments.'),
  m('Outline a 20-minute talk about accessibility on the web.'),
  m('What are the main differences between REST and GraphQL?'),
  m('Refactor this function to use async/await:\n\nfunction load(cb) {\n  fetch("/api").then(r => r.json()).then(d => cb(null, d)).catch(e => cb(e));\n}'),
  m('Review this function and point out bugs:\n\n' + CODE_FILE),

  // complex
  c('Design the architecture of a multi-tenant SaaS billing system with usage-based pricing, invoicing, proration and dunning. Describe services, data model, failure handling and how you would test it.'),
  c('We run a Postgres database with 2 TB of data and 5,000 writes per second. Plan a zero-downtime migration to a sharded setup, step by step, including rollback strategy, data verification and how to handle long-running transactions.'),
  c('Analyze this quarterly report and identify the three biggest risks, the evidence for each, and concrete recommendations for the board:\n\n' + longReport(12)),
  c('Read this report and produce an executive summary, a SWOT analysis and a list of questions the CFO should ask:\n\n' + longReport(20)),
  c('Write a complete TypeScript implementation of an LRU cache with TTL expiry, size-based eviction, and a stale-while-revalidate option, with unit tests covering concurrency edge cases.'),
  c('Our Kubernetes pods are OOMKilled intermittently only under peak traffic, memory graphs look flat before each kill, and the JVM heap is capped at 70% of the container limit. Walk through a systematic debugging plan, likely causes, and how to confirm each.'),
  c('Compare event sourcing with CQRS against a traditional CRUD design for an order management system that must support audits, refunds and partial shipments. Discuss trade-offs, migration path and team impact.'),
  c('Design a rate limiter for a public API serving 50k requests per second across three regions, with per-customer quotas, burst allowance and consistent enforcement. Explain the algorithm choice, data store, and failure modes.'),
  c('Refactor this module into a clean architecture with repository and service layers, add error handling, input validation and streaming for large files, and explain each change:\n\n' + CODE_FILE),
  c('Create a detailed 12-week plan to migrate a monolithic Rails application to services, including team structure, milestones, risk register, and how to keep shipping features during the migration.'),
  c('Write a technical design document for adding end-to-end encryption to a chat application with multi-device support, including key management, device verification, message history and recovery.'),
  c('Debug this: our Node.js service leaks file descriptors after a few hours; lsof shows thousands of sockets in CLOSE_WAIT to our Redis host; we use ioredis with a connection per request in some code paths and a shared client elsewhere. What is happening, and how do we fix and prevent it?'),
  c('Given these requirements for a hospital appointment system (doctors, rooms, equipment, patient preferences, emergencies), design the scheduling model and explain how to handle conflicts, cancellations and overbooking.'),
  c('Write a Python data pipeline that ingests CSV files from S3, validates them against a schema, deduplicates records, computes daily aggregates and writes them to Parquet, with retries, logging and tests.'),
  c('Our A/B test shows a 3% lift in conversion but revenue per user dropped 5%. Segment results disagree between mobile and desktop. Analyze what could be going on and design follow-up experiments.'),
  c('Propose a strategy for a mid-sized retailer to enter the online grocery market: market analysis, operating model, technology, unit economics and a three-year roadmap.'),
  c('Review this pull request description and code for security issues, performance problems and maintainability, then prioritize the findings:\n\n' + CODE_FILE + '\n' + CODE_FILE.replace(/Users/g, 'Orders')),
  c('Design an offline-first mobile note-taking app with sync across devices, conflict resolution, attachments and end-to-end encryption. Cover data model, sync protocol and edge cases.'),
  c('Explain, with code, how to implement optimistic concurrency control in a REST API backed by DynamoDB, including conditional writes, retries and how clients should handle conflicts.'),
  c('Write a comprehensive incident postmortem for a 4-hour outage caused by a bad config push that disabled TLS on our load balancers, including timeline, root cause analysis, contributing factors and action items.'),
  c('Build a plan to reduce our AWS bill by 40% in six months: we spend on EC2, RDS, S3 and data transfer. Prioritize actions by savings and risk, and explain how to measure progress.'),
  c('Implement a React hook for infinite scrolling with caching, request cancellation, error retry with backoff and accessibility considerations, and explain the design decisions.'),
  c('Given a codebase with 400 flaky end-to-end tests, design a program to make the suite reliable: triage process, tooling, ownership, quarantining policy and metrics.'),
  c('Write a parser and evaluator for a small expression language with variables, functions, operator precedence and error reporting with line and column, in TypeScript.'),
  c('Draft the legal and technical considerations for storing EU customer data in a US cloud provider after Schrems II, and propose an architecture that minimizes risk.'),
  c('Design a recommendation system for an online bookstore with cold-start handling, real-time updates and explainable recommendations. Describe models, features, infrastructure and evaluation.'),
  c('Plan the rollout of a breaking API change to 2,000 external integrators: versioning scheme, communication plan, deprecation timeline, tooling to detect usage and support process.'),
  c('Our Go service has p99 latency spikes every 2 minutes. Heap profiles show large allocations in JSON encoding and the GC runs right before each spike. Diagnose, propose fixes and a way to verify them.'),
  c('Write an in-depth comparison of three approaches to multi-region active-active databases (CRDTs, consensus-based, and last-writer-wins with conflict detection) for a collaborative editor.'),
  c('Create a complete onboarding curriculum for new backend engineers over their first 30 days, including projects, reading, mentorship and evaluation criteria.'),
  c('Summarize the key findings and contradictions across these meeting notes and produce a decision log with owners and deadlines:\n\n' + longReport(8) + '\n\nSecond meeting:\n' + longReport(6)),
  c('Design the data model and APIs for a feature flag service supporting gradual rollouts, targeting rules, experiments, audit logs and sub-10ms evaluation at the edge.'),
  c('Refactor a 3,000-line God class in Java into cohesive components without breaking behaviour: describe the step-by-step approach, safety nets and how to sequence the work across a team.'),
  c('Write a Terraform module for a production VPC with public and private subnets across three availability zones, NAT gateways, flow logs and sensible security groups, and explain the choices.'),
  c('Explain and implement a consistent hashing ring with virtual nodes in Python, including rebalancing when nodes join or leave, and analyze the load distribution.'),
  c('Evaluate whether our startup should build or buy its authentication system, considering cost, security, compliance (SOC 2, HIPAA), time to market and lock-in, and give a recommendation.'),
  c('Design a streaming analytics pipeline that computes per-user session metrics from clickstream events arriving out of order, with exactly-once guarantees and late data handling.', { tools: 0 }),
  c('You have access to the tools below. Find the customer with the most failed payments last month, look up their plan, and draft a retention offer that fits their usage.', { tools: 4 }),
  c('Using the available tools, investigate why yesterday\'s nightly ETL job produced 30% fewer rows, check the upstream tables and logs, and write up the root cause.', { tools: 5 }),
  c('Continue the design review: given everything we discussed, propose the final module boundaries and migration order.', { history: ['We are splitting the payments monolith.', 'Understood. What are the main domains?', 'Billing, ledger, payouts and risk. Ledger is the most coupled.', 'Then we should start by defining the ledger API and its invariants.', 'Agreed, and payouts depends on ledger balances in real time.', 'That suggests payouts moves after ledger, with an anti-corruption layer in between.'] }),
  c('Write a detailed threat model for a browser extension that reads page content and sends summaries to our backend, using STRIDE, and propose mitigations.'),
  c('Architect a system to process 10 million PDF invoices per month: OCR, field extraction, validation against purchase orders, human review queue and accounting export. Include scaling and cost estimates.'),
  c('Analyze the trade-offs of server components versus client-side rendering for a large e-commerce site with personalization, SEO requirements and a slow mobile audience.'),
  c('Write a migration guide from Express to Fastify for a codebase with 120 routes, custom middleware, and a shared error handler, including a codemod strategy and testing plan.'),
  c('Investigate this production bug: users in Australia sometimes see yesterday\'s prices. We cache prices in Redis with a TTL set at midnight UTC and a CDN in front with stale-while-revalidate. Explain the cause and a robust fix.'),
  c('Propose an observability strategy for 60 microservices: what to log, metrics and SLOs, tracing, alerting philosophy, dashboards and cost control.'),
  c('Create a go-to-market plan for a developer tool: positioning, pricing experiments, community strategy, content plan and metrics for the first year.'),
  c('Design a permissions model for a document collaboration platform with organizations, teams, sharing links, inherited folder permissions and external guests, and explain how to check permissions efficiently.'),
  c('Design a backup and disaster recovery plan for a fintech platform with RPO of 5 minutes and RTO of 1 hour across two clouds, including testing drills and cost trade-offs.'),
  c('Audit this data retention approach against GDPR and propose a compliant redesign covering deletion requests, backups, analytics copies and logs: we keep everything forever in one warehouse and copy it to three BI tools.'),
  m('Explain what a race condition is and show a small example in Java with a fix.'),
  c('Write a full-featured CLI in Rust that syncs a local folder to S3 with deduplication, parallel uploads, resumable transfers and a dry-run mode, and explain the structure.'),

  // reasoning
  r('Prove that the square root of 2 is irrational.'),
  r('Prove by induction that the sum of the first n odd numbers is n squared.'),
  r('Prove that there are infinitely many prime numbers.'),
  r('Show that every tree with n vertices has exactly n - 1 edges.'),
  r('Derive the closed-form formula for the sum of a geometric series and state when it converges.'),
  r('A train leaves city A at 60 km/h. Two hours later a second train leaves A on the same track at 90 km/h. How long after the second train departs does it catch the first, and how far from A? Show your reasoning.'),
  r('A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. How much does the ball cost? Explain step by step.'),
  r('Three boxes are labeled apples, oranges, and mixed, and every label is wrong. You may take one fruit from one box. How do you relabel all boxes correctly? Explain the logic.'),
  r('What is the probability of getting at least one six in four rolls of a fair die? Then compare it with getting at least one double six in 24 rolls of two dice.'),
  r('Solve the system: 2x + 3y - z = 5, x - y + 2z = 3, 3x + y + z = 10. Show each step.'),
  r('Find all real solutions of x^4 - 5x^2 + 4 = 0 and verify them.'),
  r('Compute the integral of x^2 * e^x dx and verify the result by differentiation.'),
  r('Prove that the halting problem is undecidable.'),
  r('Is this algorithm correct? It claims to find the median of two sorted arrays in O(log(min(m, n))). Prove or find a counterexample:\n\nfunction median(a, b) { /* binary search on partition of the smaller array */ }'),
  r('Prove that Dijkstra\'s algorithm finds shortest paths when all edge weights are non-negative, and show why it fails with a negative edge.'),
  r('Five pirates must split 100 gold coins. The most senior proposes a split, and if at least half vote yes it passes, otherwise he is thrown overboard. Pirates are perfectly rational. What split does the most senior propose? Reason it out.'),
  r('A farmer has 100 meters of fencing and wants to enclose a rectangular field along a river, needing no fence on the river side. What dimensions maximize the area? Derive it.'),
  r('Find the number of ways to tile a 2 x 10 board with 1 x 2 dominoes, and derive the recurrence.'),
  r('Prove that for any integer n, n^3 - n is divisible by 6.'),
  r('Given a weighted directed graph, design an algorithm to detect whether any negative cycle exists and prove its correctness and complexity.'),
  r('There are 100 prisoners and a light bulb. Devise a strategy so that someone can eventually declare with certainty that all prisoners have visited the room, and argue why it works.'),
  r('Think carefully: if all bloops are razzies and all razzies are lazzies, and some lazzies are not bloops, which of these statements must be true? (a) all bloops are lazzies (b) some razzies are not bloops (c) no lazzies are bloops.'),
  r('Determine whether the series sum of 1/(n log n) from n=2 to infinity converges, with proof.'),
  r('Derive the formula for the variance of a binomial distribution.'),
  r('An urn has 5 red and 7 blue balls. Three are drawn without replacement. What is the probability that exactly two are red? Then the same with replacement. Show the computation.'),
  r('Prove that the greedy algorithm for the activity selection problem yields an optimal solution.'),
  r('Find the eigenvalues and eigenvectors of the matrix [[4, 1], [2, 3]] and diagonalize it.'),
  r('A snail climbs 3 meters up a 20-meter well each day and slides back 2 meters each night. On which day does it get out? Explain carefully.'),
  r('Solve step by step: how many positive integers less than 1000 are divisible by neither 3 nor 5 nor 7?'),
  r('Prove that a graph is bipartite if and only if it contains no odd cycle.'),
  r('Use the pigeonhole principle to prove that in any group of 13 people, at least two were born in the same month, then generalize.'),
  r('Given the recurrence T(n) = 2T(n/2) + n log n, solve it and justify the answer.'),
  r('Work out the expected number of coin flips needed to get two heads in a row, with a derivation.'),
  r('Prove that the sum of the angles of a triangle in Euclidean geometry is 180 degrees.'),
  r('Formally verify that this loop invariant holds and the loop terminates: i = 0; s = 0; while (i < n) { s += a[i]; i++ } computes the sum of a[0..n-1].'),
  r('Solve this logic puzzle: Alice, Bob and Carol each have a different pet (cat, dog, fish) and a different favourite color (red, green, blue). The cat owner likes green. Bob does not own the fish. Carol likes blue. Alice does not like red. Who owns which pet and likes which color?'),
  r('Prove that P(A or B) = P(A) + P(B) - P(A and B) from the axioms of probability.'),
  r('Compute 17^2023 mod 13 and explain each step using Fermat\'s little theorem.'),
  r('Design and prove correct a lock-free algorithm for a single-producer single-consumer queue, discussing memory ordering.'),
  r('Reason step by step about the optimal strategy in the Monty Hall problem with 4 doors where the host opens one goat door, and compute the winning probability for switching.', { maxTokens: 4000 }),
];
