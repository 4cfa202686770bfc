-- The call log entry becomes a system line (docs/subsystems/calls.md, "Call log"): what was a
-- message of contentType 'call' with the call in metadata is now contentType 'system', empty
-- content, and system = {action: call_ended, actorId: the caller, targetIds: [], call: {...}}.
-- Its stored message:new is rewritten the same way, so a replay shows what the API shows.
UPDATE messages
SET content_type = 'system',
    content = '',
    system_event = jsonb_build_object(
        'action', 'call_ended', 'actorId', sender_id, 'targetIds', '[]'::jsonb, 'name', NULL, 'description', NULL,
        'call', jsonb_build_object(
            'callId', metadata->>'callId',
            'outcome', COALESCE(metadata->>'outcome', 'ended'),
            'durationSec', COALESCE((metadata->>'durationSec')::int, 0),
            'video', COALESCE((metadata->>'video')::boolean, FALSE))),
    metadata = '{}'::jsonb
WHERE content_type = 'call';

UPDATE events e
SET payload = e.payload || jsonb_build_object(
        'contentType', 'system', 'content', '', 'metadata', '{}'::jsonb, 'system', m.system_event)
FROM messages m
WHERE e.type = 'message:new' AND e.message_id = m.id
  AND m.system_event->>'action' = 'call_ended' AND e.payload->>'contentType' = 'call';
