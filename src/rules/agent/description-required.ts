import { projectAgentField } from "../_shared/project-agent.js";

export const agentDescriptionRequired = projectAgentField("agent/description-required", "description");
