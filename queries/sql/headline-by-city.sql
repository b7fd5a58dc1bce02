-- summary: For a given city, each information flow at each stage and the bodies of that city, its county, the state or the nation that can block it.
-- summary_es: Para una ciudad dada, cada flujo de información en cada etapa y los organismos de esa ciudad, de su condado, del estado o del país que pueden bloquearlo.
-- question: In my city, who can block the sharing of people's information with immigration enforcement, at each stage?
-- question_es: En mi ciudad, ¿quién puede bloquear el intercambio de la información de las personas con las autoridades de control migratorio, en cada etapa?
-- same_as: cq-014-who-can-block-in-a-city
-- dialects: sqlite postgres
-- params: city lang
-- param_city: The place's node id: jurisdiction/oakland, jurisdiction/san-francisco, or a county's unincorporated areas, jurisdiction/los-angeles-county-unincorporated.
-- param_lang: Language of the labels, en or es (NULL: en).
--
-- The SQL form of the SPARQL query named in same_as (read its description for the meaning of
-- the columns). Step by step, as the SPARQL evaluates it:
--   flows      every information flow with its stage and kind of data (labels in the language),
--              once per place that lies in a county (the city asked for);
--   part_flow  pa:blocksFlow/pa:hasPartFlow*: a blocked flow and every flow it has as a part;
--   blockers   the action, the generic body it targets and the flow's agency that body has
--              authority over (OPTIONAL: a flow no action blocks keeps empty columns);
--   located    the generic body's government level, its local instance in the city or its
--              county, or (for a city council) the place's own local legislative body;
--   resolved   the appropriate elected authority: who has authority over the city's police
--              provider (or an organisation it is part of) or over the county's jail operator,
--              and a row for a city with no police provider in the data (provider unknown);
--   status     local (a body of the place), state, federal, unknown (none found) or none (no
--              action blocks the flow).
-- A resolved body's label or powers note in another language drops the row, as the SPARQL
-- FILTERs do.
WITH RECURSIVE
params (city, lang) AS (
  SELECT CAST(? AS TEXT), COALESCE(CAST(? AS TEXT), 'en')
),
part_flow (whole, part) AS (
  SELECT DISTINCT object, object FROM "relation" WHERE property = 'blocks_flow'
  UNION
  SELECT pf.whole, r.object
  FROM part_flow pf JOIN "relation" r ON r.subject = pf.part AND r.property = 'has_part_flow'
),
provider_chain (provider, runner) AS (
  SELECT DISTINCT r.object, r.object
  FROM params p JOIN "relation" r ON r.subject = p.city AND r.property = 'has_police_provider'
  UNION
  SELECT pc.provider, r.object
  FROM provider_chain pc JOIN "relation" r ON r.subject = pc.runner AND r.property = 'sub_organization_of'
),
flows (city, language, stage, stage_label, stage_order, flow, flow_label, data_kind_label) AS (
  SELECT p.city, p.lang, st.object, sl.value, CAST(so."value" AS INTEGER), f."node", fl.value, dl.value
  FROM params p
  JOIN "node_class" f ON f."class" = 'information_flow'
  JOIN "relation" st ON st.subject = f."node" AND st.property = 'at_stage'
  JOIN "relation" dk ON dk.subject = f."node" AND dk.property = 'carries_data_kind'
  JOIN "attribute" fl ON fl.property = 'label' AND fl.subject = f."node" AND fl.language = p.lang
  JOIN "attribute" so ON so."subject" = st.object AND so."property" = 'stage_order'
  JOIN "attribute" sl ON sl.property = 'label' AND sl.subject = st.object AND sl.language = p.lang
  JOIN "attribute" dl ON dl.property = 'label' AND dl.subject = dk.object AND dl.language = p.lang
  WHERE EXISTS (SELECT 1 FROM "relation" c WHERE c.subject = p.city AND c.property = 'in_county')
),
blockers (flow, action, action_label, language, generic_body, generic_body_label) AS (
  SELECT pf.part, bf.subject, al.value, al.language, tg.object, gl.value
  FROM "relation" bf
  JOIN part_flow pf ON pf.whole = bf.object
  JOIN "relation" tg ON tg.subject = bf.subject AND tg.property = 'targets'
  JOIN "attribute" al ON al.property = 'label' AND al.subject = bf.subject
  JOIN "relation" ha ON ha.subject = tg.object AND ha.property = 'has_authority_over'
  JOIN "attribute" gl ON gl.property = 'label' AND gl.subject = tg.object AND gl.language = al.language
  JOIN "relation" ff ON ff.subject = pf.part AND ff.property = 'flows_from' AND ff.object = ha.object
  WHERE bf.property = 'blocks_flow'
),
targeted AS (
  SELECT f.*, b.action, b.action_label, b.generic_body, b.generic_body_label,
         COALESCE(b.generic_body, 'pa:none') AS target
  FROM flows f
  LEFT JOIN blockers b ON b.flow = f.flow AND b.language = f.language
),
instances (local, local_label, language, target, place) AS (
  -- local instances in the place or in its county (pa:inCounty?), labels in the language
  SELECT li.subject, ll.value, ll.language, li.object, j.object
  FROM params p
  JOIN "relation" j ON j.property = 'has_jurisdiction'
   AND (j.object = p.city
        OR j.object IN (SELECT c.object FROM "relation" c
                        WHERE c.subject = p.city AND c.property = 'in_county'))
  JOIN "relation" li ON li.subject = j.subject AND li.property = 'is_local_instance_of'
  JOIN "attribute" ll ON ll.property = 'label' AND ll.subject = li.subject
   AND ll.language = p.lang
),
legislatures (city, local, local_label, language) AS (
  SELECT lb.subject, lb.object, ll.value, ll.language
  FROM params p
  JOIN "relation" lb ON lb.subject = p.city AND lb.property = 'local_legislative_body'
  JOIN "attribute" ll ON ll.property = 'label' AND ll.subject = lb.object
),
located AS (
  SELECT t.*, lv.object AS level,
         COALESCE(i.local, g.local) AS local,
         COALESCE(i.local_label, g.local_label) AS local_label,
         CASE WHEN lv.object IN ('vocab/level-state', 'vocab/level-federal') THEN 1 ELSE 0 END
           AS wide
  FROM targeted t
  LEFT JOIN "relation" lv ON lv.subject = t.target AND lv.property = 'has_government_level'
  LEFT JOIN instances i
    ON i.target = t.target AND i.language = t.language
   AND (i.place = t.city
        OR EXISTS (SELECT 1 FROM "relation" c
                   WHERE c.subject = t.city AND c.property = 'in_county' AND c.object = i.place))
  LEFT JOIN legislatures g
    ON g.city = t.city AND g.language = t.language AND t.target = 'body/city-council'
   AND i.local IS NULL
),
resolved (city, resolved, resolved_label, label_language, can_do, can_do_language) AS (
  SELECT hp.subject, ha.subject, rl."value", rl."language", pn."value", pn."language"
  FROM params p
  JOIN "relation" hp ON hp.subject = p.city AND hp.property = 'has_police_provider'
  JOIN provider_chain pc ON pc.provider = hp.object
  JOIN "relation" ha ON ha.object = pc.runner AND ha.property = 'has_authority_over'
  JOIN "attribute" rl ON rl."subject" = ha.subject AND rl."property" = 'label'
  LEFT JOIN "attribute" pn ON pn."subject" = ha.subject AND pn."property" = 'powers_note'
  UNION ALL
  SELECT ic.subject, ha.subject, rl."value", rl."language", pn."value", pn."language"
  FROM params p
  JOIN "relation" ic ON ic.subject = p.city AND ic.property = 'in_county'
  JOIN "relation" jo ON jo.subject = ic.object AND jo.property = 'has_jail_operator'
  JOIN "relation" ha ON ha.object = jo.object AND ha.property = 'has_authority_over'
  JOIN "attribute" rl ON rl."subject" = ha.subject AND rl."property" = 'label'
  LEFT JOIN "attribute" pn ON pn."subject" = ha.subject AND pn."property" = 'powers_note'
  UNION ALL
  SELECT c."node", NULL, NULL, NULL, NULL, NULL
  FROM params p
  JOIN "node_class" c ON c."node" = p.city AND c."class" = 'city'
  WHERE 1 = 1
    AND NOT EXISTS (SELECT 1 FROM "relation" x
                    WHERE x.subject = c."node" AND x.property = 'has_police_provider')
),
decided AS (
  SELECT l.*, r.resolved, r.resolved_label, r.can_do AS resolved_can_do,
         CASE WHEN l.action IS NOT NULL AND l.local IS NULL AND l.wide = 0 THEN 1 ELSE 0 END
           AS appropriate
  FROM located l
  LEFT JOIN resolved r ON r.city = l.city
  WHERE (r.resolved_label IS NULL OR r.label_language = l.language)
    AND (r.can_do IS NULL OR r.can_do_language = l.language)
),
answered AS (
  SELECT d.*,
         CASE WHEN d.appropriate = 1 THEN d.resolved ELSE d.local END AS local_body,
         CASE WHEN d.appropriate = 1 THEN d.resolved_label ELSE d.local_label END
           AS local_body_label,
         CASE WHEN d.appropriate = 1 THEN d.resolved_can_do END AS can_do
  FROM decided d
)
SELECT DISTINCT
  stage, stage_label, stage_order, flow, flow_label, data_kind_label, action, action_label,
  CASE WHEN local_body IS NOT NULL THEN local_body
       WHEN wide = 1 THEN generic_body END AS body,
  CASE WHEN local_body IS NOT NULL THEN local_body_label
       WHEN wide = 1 THEN generic_body_label END AS body_label,
  CASE WHEN action IS NULL THEN 'none'
       WHEN local_body IS NOT NULL THEN 'local'
       WHEN wide = 1 THEN CASE WHEN level = 'vocab/level-state' THEN 'state' ELSE 'federal' END
       ELSE 'unknown' END AS status,
  generic_body_label, can_do
FROM answered
ORDER BY stage_order, flow_label, body_label NULLS FIRST
