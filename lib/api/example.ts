/**
 * The automation example the portal's API page shows (the README shows the same commands): one Snowflake connection
 * from creation to active with the `plp` command line, and the same calls with curl.
 */
export function automationExample(portalUrl: string): { cli: string; curl: string } {
  const cli = `# 1. Log in once with a write token from Your account → API tokens (kept in ~/.config/plp, mode 600).
npx plp login --url ${portalUrl} --token "$PLP_TOKEN"

# 2. Create the case with the answers asked before submitting, and submit it to your CSM.
echo '{"privatelinkEnabled": true}' > inputs.json
CASE=$(npx plp --json cases create --warehouse snowflake --region us-east-1 --from-file inputs.json | jq -r .id)

# 3. Once your CSM accepted it (plp cases show "$CASE" lists the open steps), give the details and send them.
#    The file maps each step id to its fields: here the output of SYSTEM$GET_PRIVATELINK_CONFIG().
jq -n --arg cfg "$(cat privatelink-config.json)" '{"privatelink-config": {"privatelinkConfig": $cfg}}' > details.json
npx plp cases details "$CASE" --from-file details.json

# 4. Follow it: one line per change, with who acts next. Exit code 0 = active, 1 = failed or ended.
npx plp cases watch "$CASE" && npx plp endpoints list`;
  const curl = `API=${portalUrl}/api/v1
AUTH="Authorization: Bearer $PLP_TOKEN"
# Create (repeat-safe: the same Idempotency-Key never makes a second case)
curl -sS -X POST "$API/cases" -H "$AUTH" -H 'Content-Type: application/json' \\
  -H "Idempotency-Key: $(uuidgen)" -d '{"warehouse":"snowflake","inputs":{"privatelinkEnabled":true}}'
# Submit, with the version you read
curl -sS -X POST "$API/cases/$CASE/events" -H "$AUTH" -H 'Content-Type: application/json' \\
  -d '{"event":"submit","version":2}'
# Give a step's details, then send them
curl -sS -X PUT "$API/cases/$CASE/steps/privatelink-config" -H "$AUTH" -H 'Content-Type: application/json' \\
  -d '{"version":4,"values":{"privatelinkConfig":"…"}}'
curl -sS -X POST "$API/cases/$CASE/events" -H "$AUTH" -H 'Content-Type: application/json' \\
  -d '{"event":"provide_details","version":5}'
# Where it stands and who acts next
curl -sS "$API/cases/$CASE" -H "$AUTH" | jq '{state, nextActor, standing: .standing.headline}'`;
  return { cli, curl };
}
