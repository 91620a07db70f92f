import type { Logger } from "probot";
import type { Redactor } from "../src/telemetry/redact.js";
import { GitHubError, type GitHubRepo, type Reaction } from "./github.js";
import type { CommentContext } from "./observe.js";
import { replyMarker } from "./reply.js";

type CommandComment = CommentContext["payload"]["comment"];

/**
 * The app's one answer to a comment, and the reactions around it: 👀 while the commands run, then
 * 🚀 or 😕. A redelivered webhook (GitHub's Redeliver, or a retry after a timeout) finds the answer
 * on the conversation, so the app needs no memory of its own to answer once.
 */
export class Answers {
  private eyes: Promise<void> = Promise.resolve();

  constructor(
    private readonly log: Logger,
    private readonly repo: GitHubRepo,
    private readonly issueNumber: number,
    private readonly comment: CommandComment,
    private readonly appId: number,
    private readonly redactor: Redactor,
  ) {}

  /** The id of an answer already on the conversation, if a delivery of this comment left one. */
  async earlier(): Promise<number | undefined> {
    return (await this.find())[0];
  }

  /** The 👀 goes out while the commands run; the final reaction waits for it, to keep their order. */
  acknowledge(): void {
    this.eyes = this.react("eyes");
  }

  /** Posts the answer and reacts to the comment; says whether the answer was posted. */
  async post(body: string, succeeded: boolean): Promise<boolean> {
    let reply: number | null = null;
    try {
      reply = await this.repo.postComment(this.issueNumber, body);
    } catch (error) {
      this.log.error({ problem: this.redactor.redact(describeError(error)) }, "skilldex could not answer the comment");
      // Nothing more can reach a GitHub that could not be reached a moment ago.
      if (error instanceof GitHubError && error.kind === "unreachable") {
        await this.eyes;
        return false;
      }
    }
    await this.eyes;
    if (reply !== null && (await this.withdrawIfSecond(reply))) return true;
    await this.react(succeeded ? "rocket" : "confused");
    return reply !== null;
  }

  /**
   * The app's answers to the comment already on its conversation, oldest first. When they cannot
   * be listed, none: answering twice is better than not answering.
   */
  private async find(): Promise<number[]> {
    // A second earlier, because the payload's time drops the milliseconds the answer may share.
    const since = new Date(Date.parse(this.comment.created_at) - 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    try {
      return await this.repo.findComments(this.issueNumber, since, replyMarker(this.comment.id), this.appId);
    } catch (error) {
      this.log.warn({ problem: describeError(error) }, "skilldex could not look for an earlier answer");
      return [];
    }
  }

  /**
   * Two replicas handling the same delivery at once both find no answer and both post one. Each
   * then looks again; the one whose answer is not the oldest deletes it and adds no reaction.
   */
  private async withdrawIfSecond(reply: number): Promise<boolean> {
    const first = (await this.find())[0];
    if (first === undefined || first >= reply) return false;
    try {
      await this.repo.deleteComment(reply);
      this.log.info({ reply, kept: first }, "skilldex withdrew a second answer to the comment");
    } catch (error) {
      this.log.warn({ problem: describeError(error), reply, kept: first }, "skilldex could not withdraw a second answer to the comment");
    }
    return true;
  }

  private async react(content: Reaction): Promise<void> {
    try {
      await this.repo.addReaction(this.comment.id, content);
    } catch (error) {
      // A missing reaction is cosmetic; the reply still says what happened.
      this.log.warn({ problem: describeError(error) }, `skilldex could not add the ${content} reaction`);
    }
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
