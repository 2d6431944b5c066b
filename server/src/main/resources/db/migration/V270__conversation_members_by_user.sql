-- The directory answers a user ID's name only to someone who shares a conversation with that user
-- (UserDirectoryRoutes, GET /v1/directory/user-ids/:id): that check reads the caller's memberships by user.
CREATE INDEX conversation_members_user ON conversation_members (user_id, conversation_id);
