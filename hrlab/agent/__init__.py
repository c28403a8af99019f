"""The AI interviewer: a livekit-agents worker and an in-process rehearsal over the same conductor.

Public entry points (import from their modules; livekit-agents is imported there, not here):
- `hrlab.agent.worker.run_worker(settings, mode="dev"|"start")`: the LiveKit worker (explicit dispatch).
- `hrlab.agent.rehearse.rehearse(...)`: a whole interview in-process on recorded WAV answers.
- `hrlab.agent.local_run.run_local_interview(...)`: the same with any components and a scripted candidate.
"""
