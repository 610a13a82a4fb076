// The bench's peer: a plain Bot Framework bot on botbuilder 4.23.3 + botbuilder-azure-blobs 4.23.3, doing the same
// Teams vote turn PeerGroupBot does, so the two can be measured side by side (bench/README.md, `side-by-side`).
//
// - `poll new "Title" A | B` (a channel message that @mentions the bot) stores one document per poll in BlobsStorage
//   and posts the poll card as a reply.
// - A vote is an `invoke` named `adaptiveCard/action` (Action.Execute, verb `poll:vote:<poll>:<option>`): read the
//   poll's document, record the member's choice, write it back with its eTag (a lost race, 412, is retried from a
//   fresh read), then update the posted card for everyone (updateActivity on the connector) and answer the invoke with
//   the refreshed card as the clicker sees it (statusCode 200, application/vnd.microsoft.card.adaptive).
//
// It runs as the bench runs PeerGroupBot: no app id, so the adapter checks no token on the way in and sends none out
// (local mode; the bench only talks to it over loopback). Settings come from the environment:
//   PORT                        where to listen on 127.0.0.1 (0: any free port); the bound port is printed
//   STORAGE_CONNECTION_STRING   the blob account (the bench's counting proxy in front of Azurite)
//   STORAGE_CONTAINER           the container (created if absent, by BlobsStorage)
//   PEER_UPDATE                 `inline` (default): the card update is awaited inside the turn, as a botbuilder bot
//                               usually does it; `after`: it is sent proactively after the answer, as PeerGroupBot does.
'use strict';

const http = require('node:http');
const {
  ActivityTypes,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  teamsGetTeamInfo,
} = require('botbuilder');
const { BlobsStorage } = require('botbuilder-azure-blobs');

const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';
const MAX_ATTEMPTS = 20;

function pollKey(teamId, pollId) {
  return `polls/${teamId}/${pollId}`;
}

/** `poll new "Title" A | B` → { title, options }, or null. */
function parsePollNew(text) {
  const match = /^\s*poll new\s+"([^"]+)"\s+(.+)$/i.exec(text || '');
  if (!match) return null;
  const options = match[2].split('|').map((o) => o.trim().split(/\s+(anonymous|multiple)\b/i)[0].trim()).filter(Boolean);
  return options.length >= 2 ? { title: match[1], options } : null;
}

/** The poll card; `voter` set: as that member sees it (their own choice named). */
function pollCard(pollId, poll, voter) {
  const counts = poll.options.map(() => 0);
  for (const choice of Object.values(poll.ballots)) counts[choice - 1] += 1;
  const body = [
    { type: 'TextBlock', text: poll.title, weight: 'Bolder', size: 'Medium', wrap: true },
    ...poll.options.map((option, i) => ({ type: 'TextBlock', text: `${option}: ${counts[i]} vote${counts[i] === 1 ? '' : 's'}`, wrap: true })),
  ];
  if (voter && poll.ballots[voter]) body.push({ type: 'TextBlock', text: `Your vote: ${poll.options[poll.ballots[voter] - 1]}`, isSubtle: true, wrap: true });
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions: poll.options.map((option, i) => ({ type: 'Action.Execute', title: option, verb: `poll:vote:${pollId}:${i + 1}` })),
  };
}

function errorResponse(statusCode, code, message) {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } };
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class PeerBot extends TeamsActivityHandler {
  constructor(storage, adapter, updateAfter) {
    super();
    this.storage = storage;
    this.adapter = adapter;
    this.updateAfter = updateAfter;

    this.onMessage(async (context, next) => {
      TurnContext.removeRecipientMention(context.activity);
      const poll = parsePollNew(context.activity.text);
      const team = teamsGetTeamInfo(context.activity);
      if (!poll || !team || !team.id) {
        await context.sendActivity('Try: poll new "Title" A | B');
      } else {
        const stored = { title: poll.title, options: poll.options, ballots: {} };
        // A new poll: no eTag, so BlobsStorage writes it unconditionally (the bench makes each poll once).
        await this.storage.write({ [pollKey(team.id, 1)]: stored });
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(pollCard(1, stored))));
      }
      await next();
    });
  }

  async onAdaptiveCardInvoke(context, invokeValue) {
    const match = /^poll:vote:([^:]+):(\d+)$/.exec(invokeValue.action.verb || '');
    const team = teamsGetTeamInfo(context.activity);
    if (!match || !team || !team.id) return errorResponse(400, 'BadRequest', "That card action isn't one I recognise.");
    const [, pollId, option] = match;
    const choice = Number(option);
    const voter = context.activity.from.aadObjectId || context.activity.from.id;
    const key = pollKey(team.id, pollId);

    let poll;
    for (let attempt = 1; ; attempt += 1) {
      const items = await this.storage.read([key]);
      poll = items[key];
      if (!poll) return errorResponse(404, 'NotFound', 'That poll no longer exists.');
      if (choice < 1 || choice > poll.options.length) return errorResponse(400, 'BadRequest', 'That option is not on this poll.');
      poll.ballots[voter] = choice;
      try {
        await this.storage.write({ [key]: poll }); // poll.eTag came from the read: an If-Match write
        break;
      } catch (err) {
        // BlobsStorage reports a 412 as this message (it does not keep the status code).
        if (!/eTag conflict/.test(err.message) || attempt === MAX_ATTEMPTS) throw err;
        await delay(Math.random() * 5 * attempt);
      }
    }

    const everyone = MessageFactory.attachment(CardFactory.adaptiveCard(pollCard(pollId, poll)));
    everyone.id = context.activity.replyToId;
    if (this.updateAfter) {
      const reference = TurnContext.getConversationReference(context.activity);
      this.adapter
        .continueConversationAsync('', reference, (proactive) => proactive.updateActivity(everyone))
        .catch((err) => console.error(`update failed: ${err.message}`));
    } else {
      await context.updateActivity(everyone);
    }
    return { statusCode: 200, type: CARD_TYPE, value: pollCard(pollId, poll, voter) };
  }
}

function main() {
  const connectionString = process.env.STORAGE_CONNECTION_STRING;
  const container = process.env.STORAGE_CONTAINER || 'peer';
  if (!connectionString) {
    console.error('STORAGE_CONNECTION_STRING is not set (the blob account to keep polls in).');
    process.exit(2);
  }
  const storage = new BlobsStorage(connectionString, container);
  // No MicrosoftAppId: requests without a token are accepted and outbound calls carry none (local mode).
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  adapter.onTurnError = async (context, error) => {
    console.error(`turn failed: ${error.message}`);
    if (context.activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({ type: 'invokeResponse', value: { status: 500, body: errorResponse(500, 'Error', 'Something went wrong; try again.') } });
    }
  };
  const bot = new PeerBot(storage, adapter, process.env.PEER_UPDATE === 'after');

  // CloudAdapter.process wants an express/restify-style request (parsed body) and response (status/send/end):
  // a few lines over node:http, so no web framework's cost is measured.
  const server = http.createServer((req, res) => {
    // The botbuilder convention, and the path the bench's Teams driver posts to (PeerGroupBot's).
    const known = req.url === '/api/messages' || req.url === '/api/teams/messages';
    if (req.method !== 'POST' || !known) {
      res.writeHead(known ? 405 : 404).end();
      return;
    }
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      try {
        req.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400, { 'Content-Type': 'text/plain' }).end('The body is not JSON.');
        return;
      }
      let body;
      const response = {
        status(code) { res.statusCode = code; return response; },
        header(name, value) { res.setHeader(name, value); return response; },
        send(value) { body = value; return response; },
        end() {
          if (body === undefined) { res.end(); return response; }
          const text = typeof body === 'string' ? body : JSON.stringify(body);
          if (typeof body !== 'string') res.setHeader('Content-Type', 'application/json; charset=utf-8');
          res.end(text);
          return response;
        },
      };
      adapter.process(req, response, (context) => bot.run(context)).catch((err) => {
        console.error(`request failed: ${err.message}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(process.env.PORT || 3978), '127.0.0.1', () => {
    console.log(`listening on http://127.0.0.1:${server.address().port}`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
