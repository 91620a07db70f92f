import { projectAgentField } from "../_shared/project-agent.js";

export const agentNameRequired = projectAgentField("agent/name-required", "name");
