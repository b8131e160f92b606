"""The coach: rubric, prompts, evaluators and the evaluation service."""
