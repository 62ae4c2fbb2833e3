import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  text: string;
}

export interface TestSmtp {
  /** smtp://user:pass@127.0.0.1:<port>, as SMTP_URL. */
  url: string;
  messages: ReceivedMail[];
  /** Refuse every message with this SMTP reply code (e.g. 451, "try again later"); null accepts again. */
  refuseWith(code: number | null): void;
  stop(): Promise<void>;
}

/** The message body as sent (quoted-printable undone), with \n line ends. */
function decode(body: string, encoding: string): string {
  const text = /quoted-printable/i.test(encoding)
    ? Buffer.from(body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8")
    : body;
  return text.replace(/\r\n/g, "\n");
}

const USER = "portal";
const PASS = "s3cret";

/** A real SMTP server on a free loopback port that keeps what it accepts (credentials required). */
export async function startSmtpServer(): Promise<TestSmtp> {
  const messages: ReceivedMail[] = [];
  let refusal: number | null = null;
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASS) callback(null, { user: USER });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (refusal !== null) {
          const err = Object.assign(new Error("Mailbox busy, try again later"), { responseCode: refusal });
          callback(err);
          return;
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        const [head = "", ...body] = raw.split("\r\n\r\n");
        const headers = head.replace(/\r\n[ \t]+/g, " ");
        const header = (name: string) => new RegExp(`^${name}: (.*)$`, "im").exec(headers)?.[1]?.trim() ?? "";
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: header("Subject"),
          messageId: header("Message-ID"),
          text: decode(body.join("\r\n\r\n"), header("Content-Transfer-Encoding")),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://${USER}:${PASS}@127.0.0.1:${port}`,
    messages,
    refuseWith(code) {
      refusal = code;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
