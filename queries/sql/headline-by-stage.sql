-- summary: At each stage, the bodies that can block information sharing with immigration enforcement, through which action, over which agency and which kind of data, with the source passage.
-- summary_es: En cada etapa, los organismos que pueden bloquear el intercambio de información con las autoridades de control migratorio, mediante qué acción, sobre qué agencia y qué tipo de datos, con el pasaje de la fuente.
-- question: Which bodies can block the sharing of people's information with immigration enforcement at each stage?
-- question_es: ¿Qué organismos pueden bloquear el intercambio de la información de las personas con las autoridades de control migratorio en cada etapa?
-- same_as: cq-003-who-can-block-information-sharing
-- dialects: sqlite postgres
-- params: lang
-- param_lang: Language of the labels, en or es (NULL: en).
--
-- The SQL form of the SPARQL query named in same_as, over the tables of a `sqlite`,
-- `postgres-sql` or `postgres` export: an action blocks a flow at a stage, the action is aimed
-- at a body, and that body has authority over the agency the flow comes from. A stage where no
-- body can block any flow appears once with the body columns empty. Node columns hold node ids
-- (node.id); labels come from the attribute table in the chosen language.
WITH
params (lang) AS (
  SELECT COALESCE(CAST(? AS TEXT), 'en')
),
stages (stage, stage_label, stage_order, language) AS (
  SELECT s."node", sl.value, CAST(so."value" AS INTEGER), p.lang
  FROM params p
  JOIN "node_class" s ON s."class" = 'stage'
  JOIN "attribute" so ON so."subject" = s."node" AND so."property" = 'stage_order'
  JOIN "attribute" sl ON sl.property = 'label' AND sl.subject = s."node" AND sl.language = p.lang
),
blockers (stage, body, body_label, body_language, action, action_label, action_language,
          agency, agency_label, agency_language, data_kind_label, data_kind_language,
          passage, passage_text) AS (
  SELECT st.object, tg.object, bl.value, bl.language, bf.subject, al.value, al.language,
         ff.object, gl.value, gl.language, dl.value, dl.language, pa.object, pq."value"
  FROM "node_class" f
  JOIN "relation" st ON st.subject = f."node" AND st.property = 'at_stage'
  JOIN "relation" ff ON ff.subject = f."node" AND ff.property = 'flows_from'
  JOIN "relation" dk ON dk.subject = f."node" AND dk.property = 'carries_data_kind'
  JOIN "relation" bf ON bf.object = f."node" AND bf.property = 'blocks_flow'
  JOIN "relation" tg ON tg.subject = bf.subject AND tg.property = 'targets'
  JOIN "attribute" al ON al.property = 'label' AND al.subject = bf.subject
  JOIN "relation" ha ON ha.subject = tg.object AND ha.property = 'has_authority_over'
              AND ha.object = ff.object
  JOIN "attribute" bl ON bl.property = 'label' AND bl.subject = tg.object
  JOIN "attribute" gl ON gl.property = 'label' AND gl.subject = ff.object
  JOIN "attribute" dl ON dl.property = 'label' AND dl.subject = dk.object
  JOIN "relation" pa ON pa.subject = bf.subject AND pa.property = 'was_derived_from'
  JOIN "relation" pf ON pf.subject = f."node" AND pf.property = 'was_derived_from'
              AND pf.object = pa.object
  JOIN "attribute" pq ON pq."subject" = pa.object AND pq."property" = 'quotation'
  WHERE f."class" = 'information_flow'
)
SELECT s.stage, s.stage_label, s.stage_order, b.body, b.body_label, b.action, b.action_label,
       b.agency, b.agency_label, b.data_kind_label, b.passage, b.passage_text
FROM stages s
LEFT JOIN blockers b
  ON b.stage = s.stage
 AND b.body_language = s.language AND b.action_language = s.language
 AND b.agency_language = s.language AND b.data_kind_language = s.language
ORDER BY s.stage_order, b.body_label NULLS FIRST, b.action_label NULLS FIRST
