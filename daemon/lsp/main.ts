import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

/**
 * The hint server: `node dist/lsp.js --stdio` (vscode-languageclient passes --stdio; --node-ipc
 * and --socket=N work too, createConnection reads them from the command line).
 */
startServer(createConnection(ProposedFeatures.all));
