SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

CREATE TABLE public.account (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email character varying(254) DEFAULT ''::character varying NOT NULL,
    display_name character varying(200) DEFAULT ''::character varying NOT NULL,
    password_hash text DEFAULT ''::text NOT NULL,
    is_admin boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE TABLE public.attachment (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner uuid NOT NULL,
    sha256 character varying(64) DEFAULT ''::character varying NOT NULL,
    size bigint DEFAULT 0 NOT NULL,
    stored_size bigint DEFAULT 0 NOT NULL,
    thumbnail_size bigint DEFAULT 0 NOT NULL,
    media_type character varying(100) DEFAULT ''::character varying NOT NULL,
    filename character varying(255) DEFAULT ''::character varying NOT NULL,
    state character varying(16) DEFAULT ''::character varying NOT NULL,
    object_key character varying(100) DEFAULT ''::character varying NOT NULL,
    thumbnail_key character varying(100) DEFAULT NULL::character varying,
    width integer,
    height integer,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE TABLE public.attachment_link (
    id integer NOT NULL,
    attachment uuid NOT NULL,
    entry uuid NOT NULL,
    linked_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE SEQUENCE public.attachment_link_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.attachment_link_id_seq OWNED BY public.attachment_link.id;

CREATE TABLE public.auth_session (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    account uuid NOT NULL,
    token_hash character varying(64) DEFAULT ''::character varying NOT NULL,
    device_name character varying(120) DEFAULT ''::character varying NOT NULL,
    client_address character varying(64) DEFAULT ''::character varying NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    last_used_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    expires_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    revoked_at timestamp with time zone
);

CREATE TABLE public.competence_association (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    identifier character varying(255) DEFAULT ''::character varying NOT NULL,
    framework uuid,
    association_type character varying(32) DEFAULT ''::character varying NOT NULL,
    origin uuid NOT NULL,
    destination uuid,
    origin_framework uuid DEFAULT gen_random_uuid() NOT NULL,
    destination_framework uuid,
    destination_identifier character varying(255) DEFAULT ''::character varying NOT NULL,
    destination_uri text DEFAULT ''::text NOT NULL,
    destination_title text DEFAULT ''::text NOT NULL,
    sequence_number integer,
    asserted_by character varying(16) DEFAULT 'publisher'::character varying NOT NULL,
    note text DEFAULT ''::text NOT NULL,
    last_change character varying(40) DEFAULT ''::character varying NOT NULL
);

CREATE TABLE public.competence_framework (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    identifier character varying(255) DEFAULT ''::character varying NOT NULL,
    uri text DEFAULT ''::text NOT NULL,
    title character varying(500) DEFAULT ''::character varying NOT NULL,
    publisher character varying(255) DEFAULT ''::character varying NOT NULL,
    edition character varying(100) DEFAULT ''::character varying NOT NULL,
    language character varying(35) DEFAULT ''::character varying NOT NULL,
    source_uri text DEFAULT ''::text NOT NULL,
    licence text DEFAULT ''::text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    last_change character varying(40) DEFAULT ''::character varying NOT NULL,
    details json DEFAULT '{}'::json NOT NULL,
    content_hash character varying(64) DEFAULT ''::character varying NOT NULL,
    built_in boolean DEFAULT false NOT NULL,
    item_count integer DEFAULT 0 NOT NULL,
    imported_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE TABLE public.competence_item (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    framework uuid NOT NULL,
    identifier character varying(255) DEFAULT ''::character varying NOT NULL,
    uri text DEFAULT ''::text NOT NULL,
    code character varying(255) DEFAULT ''::character varying NOT NULL,
    title character varying(500) DEFAULT ''::character varying NOT NULL,
    statement text DEFAULT ''::text NOT NULL,
    item_type character varying(255) DEFAULT ''::character varying NOT NULL,
    parent uuid,
    "position" integer DEFAULT 0 NOT NULL,
    depth integer DEFAULT 0 NOT NULL,
    last_change character varying(40) DEFAULT ''::character varying NOT NULL,
    details json DEFAULT '{}'::json NOT NULL,
    search_text text DEFAULT ''::text NOT NULL
);

CREATE TABLE public.competence_link (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner uuid NOT NULL,
    entry uuid NOT NULL,
    item uuid NOT NULL,
    framework uuid NOT NULL,
    note character varying(500) DEFAULT ''::character varying NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE TABLE public.evidence_change_counter (
    owner uuid NOT NULL,
    last_seq bigint DEFAULT 0 NOT NULL
);

CREATE TABLE public.evidence_entry (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner uuid NOT NULL,
    kind character varying(48) DEFAULT ''::character varying NOT NULL,
    title character varying(200) DEFAULT ''::character varying NOT NULL,
    occurred_on date DEFAULT CURRENT_DATE NOT NULL,
    ended_on date,
    duration_minutes integer DEFAULT 0 NOT NULL,
    participatory boolean DEFAULT false NOT NULL,
    activity_type character varying(32) DEFAULT ''::character varying NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    reflection json DEFAULT '{}'::json NOT NULL,
    tags json DEFAULT '[]'::json NOT NULL,
    search_text text DEFAULT ''::text NOT NULL,
    tag_index text DEFAULT ''::text NOT NULL,
    content_hash character varying(64) DEFAULT ''::character varying NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    change_seq bigint DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    deleted_at timestamp with time zone
);

CREATE TABLE public.evidence_share (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner uuid NOT NULL,
    organisation uuid NOT NULL,
    supervisor uuid,
    scope character varying(16) DEFAULT ''::character varying NOT NULL,
    occurred_from date,
    occurred_to date,
    framework uuid,
    registration uuid,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    ended_at timestamp with time zone,
    end_reason character varying(32) DEFAULT ''::character varying NOT NULL
);

CREATE TABLE public.export (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner uuid NOT NULL,
    format character varying(16) DEFAULT ''::character varying NOT NULL,
    selection json DEFAULT '{}'::json NOT NULL,
    selection_key character varying(64) DEFAULT ''::character varying NOT NULL,
    period_from date,
    period_to date,
    status character varying(16) DEFAULT 'queued'::character varying NOT NULL,
    progress_done integer DEFAULT 0 NOT NULL,
    progress_total integer DEFAULT 0 NOT NULL,
    error text DEFAULT ''::text NOT NULL,
    storage_key character varying(100) DEFAULT ''::character varying NOT NULL,
    media_type character varying(100) DEFAULT ''::character varying NOT NULL,
    size bigint DEFAULT 0 NOT NULL,
    sha256 character varying(64) DEFAULT ''::character varying NOT NULL,
    signature text DEFAULT ''::text NOT NULL,
    signed_at timestamp with time zone,
    kid character varying(200) DEFAULT ''::character varying NOT NULL,
    revoked_at timestamp with time zone,
    superseded_by uuid,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    started_at timestamp with time zone,
    heartbeat_at timestamp with time zone,
    finished_at timestamp with time zone
);

CREATE TABLE public.export_access (
    id integer NOT NULL,
    share uuid NOT NULL,
    at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    address character varying(64) DEFAULT ''::character varying NOT NULL,
    user_agent character varying(300) DEFAULT ''::character varying NOT NULL,
    outcome character varying(32) DEFAULT ''::character varying NOT NULL
);

CREATE SEQUENCE public.export_access_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.export_access_id_seq OWNED BY public.export_access.id;

CREATE TABLE public.export_share (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    export uuid NOT NULL,
    token_hash character varying(64) DEFAULT ''::character varying NOT NULL,
    passcode_hash text DEFAULT ''::text NOT NULL,
    label character varying(200) DEFAULT ''::character varying NOT NULL,
    expires_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    revoked_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE TABLE public.gap_explanation (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner uuid NOT NULL,
    registration uuid NOT NULL,
    starts_on date DEFAULT CURRENT_DATE NOT NULL,
    ends_on date DEFAULT CURRENT_DATE NOT NULL,
    reason text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE TABLE public.idempotency_record (
    id integer NOT NULL,
    owner uuid NOT NULL,
    key character varying(255) DEFAULT ''::character varying NOT NULL,
    request_hash character varying(64) DEFAULT ''::character varying NOT NULL,
    state character varying(16) DEFAULT ''::character varying NOT NULL,
    response_status integer,
    response_body text,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE SEQUENCE public.idempotency_record_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.idempotency_record_id_seq OWNED BY public.idempotency_record.id;

CREATE TABLE public.invitation (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organisation uuid NOT NULL,
    email character varying(254) DEFAULT ''::character varying NOT NULL,
    role character varying(16) DEFAULT ''::character varying NOT NULL,
    invited_by uuid,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    accepted_at timestamp with time zone,
    cancelled_at timestamp with time zone
);

CREATE TABLE public.issuer_key (
    kid character varying(64) DEFAULT ''::character varying NOT NULL,
    public_key character varying(64) DEFAULT ''::character varying NOT NULL,
    private_key text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    retired_at timestamp with time zone,
    current boolean
);

CREATE TABLE public.login_failure (
    id integer NOT NULL,
    subject character varying(300) DEFAULT ''::character varying NOT NULL,
    failed_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE SEQUENCE public.login_failure_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.login_failure_id_seq OWNED BY public.login_failure.id;

CREATE TABLE public.membership (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organisation uuid NOT NULL,
    account uuid NOT NULL,
    role character varying(16) DEFAULT ''::character varying NOT NULL,
    joined_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    left_at timestamp with time zone
);

CREATE TABLE public.migration (
    id integer NOT NULL,
    name character varying(200) DEFAULT ''::character varying NOT NULL,
    app_name character varying(200) DEFAULT ''::character varying NOT NULL,
    ran_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE SEQUENCE public.migration_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.migration_id_seq OWNED BY public.migration.id;

CREATE TABLE public.notification (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    recipient uuid NOT NULL,
    kind character varying(32) DEFAULT ''::character varying NOT NULL,
    review uuid,
    message text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    read_at timestamp with time zone
);

CREATE TABLE public.organisation (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name character varying(200) DEFAULT ''::character varying NOT NULL,
    kind character varying(16) DEFAULT ''::character varying NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE TABLE public.peer_discussion (
    entry uuid NOT NULL,
    owner uuid NOT NULL,
    name character varying(200) DEFAULT ''::character varying NOT NULL,
    pin character varying(16) DEFAULT ''::character varying NOT NULL,
    email character varying(254) DEFAULT ''::character varying NOT NULL,
    address text DEFAULT ''::text NOT NULL,
    role character varying(200) DEFAULT ''::character varying NOT NULL,
    learning text DEFAULT ''::text NOT NULL,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE TABLE public.registration (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner uuid NOT NULL,
    register character varying(48) DEFAULT ''::character varying NOT NULL,
    registration_number character varying(64) DEFAULT ''::character varying NOT NULL,
    part character varying(48) DEFAULT ''::character varying NOT NULL,
    cycle_start date DEFAULT CURRENT_DATE NOT NULL,
    renewal_date date DEFAULT CURRENT_DATE NOT NULL,
    pack_edition character varying(48) DEFAULT ''::character varying NOT NULL,
    practice_summary text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE TABLE public.review (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    entry uuid NOT NULL,
    owner uuid NOT NULL,
    reviewer uuid NOT NULL,
    organisation uuid NOT NULL,
    state character varying(24) DEFAULT ''::character varying NOT NULL,
    entry_title character varying(200) DEFAULT ''::character varying NOT NULL,
    submitted_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE TABLE public.review_event (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    review uuid NOT NULL,
    actor uuid,
    actor_name character varying(200) DEFAULT ''::character varying NOT NULL,
    action character varying(24) DEFAULT ''::character varying NOT NULL,
    body text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE TABLE public.shared_entry (
    id integer NOT NULL,
    share uuid NOT NULL,
    entry uuid NOT NULL
);

CREATE SEQUENCE public.shared_entry_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.shared_entry_id_seq OWNED BY public.shared_entry.id;

CREATE TABLE public.storage_garbage (
    id integer NOT NULL,
    object_key character varying(100) DEFAULT ''::character varying NOT NULL,
    queued_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE SEQUENCE public.storage_garbage_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.storage_garbage_id_seq OWNED BY public.storage_garbage.id;

CREATE TABLE public.supervision_link (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organisation uuid NOT NULL,
    supervisor uuid NOT NULL,
    worker uuid NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    ended_at timestamp with time zone
);

CREATE TABLE public.upload_slot (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner uuid NOT NULL,
    entry uuid NOT NULL,
    filename character varying(255) DEFAULT ''::character varying NOT NULL,
    size bigint DEFAULT 0 NOT NULL,
    sha256 character varying(64) DEFAULT ''::character varying NOT NULL,
    media_type character varying(100) DEFAULT ''::character varying NOT NULL,
    object_key character varying(100) DEFAULT ''::character varying NOT NULL,
    attachment uuid,
    expires_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE TABLE public.verification (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    review uuid NOT NULL,
    entry uuid NOT NULL,
    verifier uuid,
    verifier_name character varying(200) DEFAULT ''::character varying NOT NULL,
    verifier_role character varying(200) DEFAULT ''::character varying NOT NULL,
    verifier_registration_number character varying(64) DEFAULT ''::character varying NOT NULL,
    organisation uuid,
    organisation_name character varying(200) DEFAULT ''::character varying NOT NULL,
    statement text DEFAULT ''::text NOT NULL,
    verified_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    content_hash character varying(64) DEFAULT ''::character varying NOT NULL,
    hashed json DEFAULT '{}'::json NOT NULL
);

ALTER TABLE ONLY public.attachment_link ALTER COLUMN id SET DEFAULT nextval('public.attachment_link_id_seq'::regclass);

ALTER TABLE ONLY public.export_access ALTER COLUMN id SET DEFAULT nextval('public.export_access_id_seq'::regclass);

ALTER TABLE ONLY public.idempotency_record ALTER COLUMN id SET DEFAULT nextval('public.idempotency_record_id_seq'::regclass);

ALTER TABLE ONLY public.login_failure ALTER COLUMN id SET DEFAULT nextval('public.login_failure_id_seq'::regclass);

ALTER TABLE ONLY public.migration ALTER COLUMN id SET DEFAULT nextval('public.migration_id_seq'::regclass);

ALTER TABLE ONLY public.shared_entry ALTER COLUMN id SET DEFAULT nextval('public.shared_entry_id_seq'::regclass);

ALTER TABLE ONLY public.storage_garbage ALTER COLUMN id SET DEFAULT nextval('public.storage_garbage_id_seq'::regclass);

INSERT INTO public.account VALUES ('e86a7932-6eb2-4e13-bc10-d93b0ab851df', 'wren@example.org', 'Wren Worker', '$argon2id$v=19$m=64,t=1,p=1$QmWYsimu2d3r2BCId2fOEA$99UBJycWdvvQnz9Z1lriMlQb8uzhMRLrENFZamn0Ehs', false, '2026-12-02 18:49:09.937344+00');
INSERT INTO public.account VALUES ('c1a77d93-0d6a-4f90-b70e-6fbbeb135f0d', 'admin@riverside.example', 'Ada Admin', '$argon2id$v=19$m=64,t=1,p=1$+xFlE5K5HG7NcKWMWOgbMA$39zji3koj4F+DRC0djOisVfZUZYQlCAWDgdTHrQJqsw', false, '2026-12-02 18:49:10.384585+00');
INSERT INTO public.account VALUES ('118f000b-ff69-4d12-8d4b-ea777ae0ba1a', 'sam@riverside.example', 'Sam Supervisor', '$argon2id$v=19$m=64,t=1,p=1$L2Lno+Fk3Ya3cPCK3YrbnQ$ATtyH8ms44F8PFnLryLyxUrojZIyJbJ8OT4so/Nu+pk', false, '2026-12-02 18:49:10.422665+00');
INSERT INTO public.account VALUES ('b292de63-163f-4ec9-bb68-205db961bbae', 'cole@riverside.example', 'Cole Colleague', '$argon2id$v=19$m=64,t=1,p=1$8GGbf8cmhNMknFkx80UeuQ$X9lLuTsMSppGiQ6+qMKFVdRxd3BtdTvbl9CRlDxzapo', false, '2026-12-02 18:49:10.460588+00');
INSERT INTO public.account VALUES ('d045441b-8a27-4d93-a5ed-9c2db0cc2805', 'solo@example.org', 'Solo Worker', '$argon2id$v=19$m=64,t=1,p=1$B8xP0XtkQOl18RdV4uUqOA$MYGmFsrIcOHJ62lTPe0stTS1g4BFn4GMgly/NBmDVtc', false, '2026-12-02 18:49:11.897883+00');

INSERT INTO public.attachment VALUES ('6c130acc-754c-43bd-a99e-09b64096bb2e', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', '646a2b042ec0e2c2d899211c463521b55973c6cb229e780f2a4292f4a536fee7', 653, 654, 653, 'image/jpeg', 'wound.jpg', 'stored', 'attachments/6c130acc754c43bda99e09b64096bb2e', 'thumbnails/6c130acc754c43bda99e09b64096bb2e', 48, 32, '2026-12-02 18:49:10.148722+00');

INSERT INTO public.attachment_link VALUES (1, '6c130acc-754c-43bd-a99e-09b64096bb2e', 'f44a9111-699c-42b1-bb4a-a4acbadd55e0', '2026-12-02 18:49:10.160572+00');

INSERT INTO public.auth_session VALUES ('428e6f03-2835-4ef7-855b-79cad4e247d9', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', 'b75a4313bb821aa1b4fd11da71acd769180452199247c21d4f4f0e8541ac974f', '', '127.0.0.1', '2026-12-02 18:49:09.946065+00', '2026-12-02 18:49:09.946065+00', '2027-01-01 18:49:09.946065+00', NULL);
INSERT INTO public.auth_session VALUES ('e646585a-9ce8-4e8d-b4b4-9df4e1d181fd', 'c1a77d93-0d6a-4f90-b70e-6fbbeb135f0d', 'a170d96c257a919f0809a8d269450983f428b749f83ff3440e2bc66916b3a151', '', '127.0.0.1', '2026-12-02 18:49:10.389518+00', '2026-12-02 18:49:10.389518+00', '2027-01-01 18:49:10.389518+00', NULL);
INSERT INTO public.auth_session VALUES ('8b68564b-53df-4660-b85b-d48257912d0a', '118f000b-ff69-4d12-8d4b-ea777ae0ba1a', '731782477cf5331a515c81dbe1bff5427eef55501e76948da70ce5a1baa29589', '', '127.0.0.1', '2026-12-02 18:49:10.430879+00', '2026-12-02 18:49:10.430879+00', '2027-01-01 18:49:10.430879+00', NULL);
INSERT INTO public.auth_session VALUES ('794cccda-8fe2-429d-88e3-a797fe072388', 'b292de63-163f-4ec9-bb68-205db961bbae', 'bfad57325242b7ba2f6b71aa8aaff3fff09fc62828d35dda12767c5b8c29ac55', '', '127.0.0.1', '2026-12-02 18:49:10.465324+00', '2026-12-02 18:49:10.465324+00', '2027-01-01 18:49:10.465324+00', NULL);
INSERT INTO public.auth_session VALUES ('569204a9-53c8-4fa7-a863-c708519873af', 'd045441b-8a27-4d93-a5ed-9c2db0cc2805', '6517e6f1091e0cff8f568c946ca621083f5d08fc5585a2e7bb7918b8f8ab7d76', '', '127.0.0.1', '2026-12-02 18:49:11.90419+00', '2026-12-02 18:49:11.90419+00', '2027-01-01 18:49:11.90419+00', NULL);

INSERT INTO public.competence_association VALUES ('49d2e566-74c5-4fbe-b623-95cefbc9ef86', 'ff3d5e62-cbb1-556d-af39-05a14e4f6cfa', '491df0d3-09c2-456f-944a-a2784cc34ba6', 'isChildOf', 'dfb6551c-2964-4f4e-bffc-9efc7e5f5e5d', NULL, '491df0d3-09c2-456f-944a-a2784cc34ba6', NULL, '835d3c7a-21fb-565e-805e-ee82946ac719', '', 'SSSC continuous professional learning: core learning elements', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('76981177-5e53-4ef6-a70f-9af8510cd52f', '135be45c-6631-57d2-b1ae-e9c60189cd8a', '491df0d3-09c2-456f-944a-a2784cc34ba6', 'isChildOf', '551f689a-3624-4c4b-9469-49a6a5be011f', NULL, '491df0d3-09c2-456f-944a-a2784cc34ba6', NULL, '835d3c7a-21fb-565e-805e-ee82946ac719', '', 'SSSC continuous professional learning: core learning elements', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('0f9bf545-492c-4eb0-ba40-7512bdf14da9', '7300ae8a-c49b-55bb-8d77-bd5b1c0e3e78', '491df0d3-09c2-456f-944a-a2784cc34ba6', 'isChildOf', 'c1875975-874d-4349-88ae-4c416a6dbd47', '551f689a-3624-4c4b-9469-49a6a5be011f', '491df0d3-09c2-456f-944a-a2784cc34ba6', '491df0d3-09c2-456f-944a-a2784cc34ba6', '483c0ab0-4b8d-50cc-b1ab-0818f95ec37f', '', 'CLE.COMMS', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('e3191098-b944-4a54-b22f-25c1b45b6463', 'b833a011-8544-5bca-ac40-821bf3cfd3de', '491df0d3-09c2-456f-944a-a2784cc34ba6', 'isChildOf', 'b769d768-0e6a-43d0-a5be-5a2ff57f6fc1', NULL, '491df0d3-09c2-456f-944a-a2784cc34ba6', NULL, '835d3c7a-21fb-565e-805e-ee82946ac719', '', 'SSSC continuous professional learning: core learning elements', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('68a64608-10d1-48d4-9ea5-8f1d6e1a6370', '8e81fe29-e018-5b3e-994b-c3330a66644b', '491df0d3-09c2-456f-944a-a2784cc34ba6', 'isChildOf', '42c296ca-7842-4736-b490-d1d7b61c0c64', NULL, '491df0d3-09c2-456f-944a-a2784cc34ba6', NULL, '835d3c7a-21fb-565e-805e-ee82946ac719', '', 'SSSC continuous professional learning: core learning elements', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('3c85f2d5-236d-4cf9-8c09-6a582dac656b', '170fd81c-1545-5ff3-8480-82805f254643', '491df0d3-09c2-456f-944a-a2784cc34ba6', 'isChildOf', '9365b3e5-a422-44c5-8c95-389b2fa07e9a', '42c296ca-7842-4736-b490-d1d7b61c0c64', '491df0d3-09c2-456f-944a-a2784cc34ba6', '491df0d3-09c2-456f-944a-a2784cc34ba6', '8de8e33c-ce11-5e12-89c2-7c1351476f04', '', 'CLE.PROTECT', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('fa50f809-3732-4970-885b-2d23d39bfb07', '4b4f957e-6a63-5c6f-bd52-6ba4cbb1d2f3', '491df0d3-09c2-456f-944a-a2784cc34ba6', 'isChildOf', 'f9c68faf-cf35-4d9e-88fe-6598a91a9ece', '42c296ca-7842-4736-b490-d1d7b61c0c64', '491df0d3-09c2-456f-944a-a2784cc34ba6', '491df0d3-09c2-456f-944a-a2784cc34ba6', '8de8e33c-ce11-5e12-89c2-7c1351476f04', '', 'CLE.PROTECT', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('2d4f020f-d5a7-409c-81a0-ea917c67b2b7', '29d74e4f-4883-5dde-8244-80fc483a111a', '491df0d3-09c2-456f-944a-a2784cc34ba6', 'isChildOf', '519183ef-883f-43ec-9141-f6fc4f7730a9', NULL, '491df0d3-09c2-456f-944a-a2784cc34ba6', NULL, '835d3c7a-21fb-565e-805e-ee82946ac719', '', 'SSSC continuous professional learning: core learning elements', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('7ddb5f00-95a9-4ec9-9945-5b1e14ae5ec7', '217a41ab-6494-50ad-a0f6-abafffc836ba', '491df0d3-09c2-456f-944a-a2784cc34ba6', 'isChildOf', '9a6f0a72-8ff9-4474-b93f-b73ba89bc9c6', NULL, '491df0d3-09c2-456f-944a-a2784cc34ba6', NULL, '835d3c7a-21fb-565e-805e-ee82946ac719', '', 'SSSC continuous professional learning: core learning elements', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('d8779654-76f9-4542-bc82-3e6cc30940fd', 'db53f394-32f1-5138-bbe6-f9d953d5740a', '491df0d3-09c2-456f-944a-a2784cc34ba6', 'isChildOf', '4e524dde-3970-49fc-887b-900f71a64b13', NULL, '491df0d3-09c2-456f-944a-a2784cc34ba6', NULL, '835d3c7a-21fb-565e-805e-ee82946ac719', '', 'SSSC continuous professional learning: core learning elements', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('fec614e7-903a-4f5d-a7dd-b3e85dc8cb90', '5e2dc633-185d-5e85-999f-5960600ec4fe', '491df0d3-09c2-456f-944a-a2784cc34ba6', 'isChildOf', 'ea1218ad-fb0e-41e8-a07d-487f1c8b98ec', NULL, '491df0d3-09c2-456f-944a-a2784cc34ba6', NULL, '835d3c7a-21fb-565e-805e-ee82946ac719', '', 'SSSC continuous professional learning: core learning elements', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('ab435c3e-1234-4fac-964a-84499e124cb1', 'e90a6318-a9e9-5a18-b1ef-90754fa61ab9', '491df0d3-09c2-456f-944a-a2784cc34ba6', 'isChildOf', '6021d870-92dd-47a9-b479-ffc509ab7817', NULL, '491df0d3-09c2-456f-944a-a2784cc34ba6', NULL, '835d3c7a-21fb-565e-805e-ee82946ac719', '', 'SSSC continuous professional learning: core learning elements', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('6276f2d8-fe36-49ed-99e0-6623b3b17810', '55061eaa-9953-5fa6-bf66-3102b5c4c031', '573805e2-c983-43da-ba78-0737b4e43052', 'isChildOf', 'd60a039d-8d46-4c16-b7b5-043947927a7a', NULL, '573805e2-c983-43da-ba78-0737b4e43052', NULL, 'f2a6b5eb-165f-56e1-b40f-46c9d082dca7', '', 'SSSC Code of Practice for Social Service Workers', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('506aa363-4f54-485b-ab3a-67a888eecec2', '1740d81b-ded3-5ff3-a959-462dddef350f', '573805e2-c983-43da-ba78-0737b4e43052', 'isChildOf', 'a2c1525c-0ee4-49b2-aeeb-fd646172271c', NULL, '573805e2-c983-43da-ba78-0737b4e43052', NULL, 'f2a6b5eb-165f-56e1-b40f-46c9d082dca7', '', 'SSSC Code of Practice for Social Service Workers', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('c6e01ea0-1f1f-411a-a771-b023e58fa791', '5b747745-7d63-5dfc-af30-685a98011217', '573805e2-c983-43da-ba78-0737b4e43052', 'isChildOf', 'b9341222-9ca4-4df8-a630-89cb4632cff8', NULL, '573805e2-c983-43da-ba78-0737b4e43052', NULL, 'f2a6b5eb-165f-56e1-b40f-46c9d082dca7', '', 'SSSC Code of Practice for Social Service Workers', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('72a2ea29-bedc-4d1d-93e6-7691e492b140', 'c6a96a9d-61dc-5dfe-a3f2-87390ec7fbbc', '573805e2-c983-43da-ba78-0737b4e43052', 'isChildOf', 'ba7c404c-344a-43e6-a117-a8467896c350', NULL, '573805e2-c983-43da-ba78-0737b4e43052', NULL, 'f2a6b5eb-165f-56e1-b40f-46c9d082dca7', '', 'SSSC Code of Practice for Social Service Workers', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('cd4a07de-dbb6-476e-bd25-5bd955f0dc5e', '58dea4ab-2491-50ef-84fe-dfc9b1598048', '573805e2-c983-43da-ba78-0737b4e43052', 'isChildOf', '145e8c69-6dd8-4633-b52a-b00e4772a9e9', NULL, '573805e2-c983-43da-ba78-0737b4e43052', NULL, 'f2a6b5eb-165f-56e1-b40f-46c9d082dca7', '', 'SSSC Code of Practice for Social Service Workers', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('152f0806-ad80-4868-b52d-0dc03f618898', 'e526609a-e2e3-54ed-9a3a-efc604a278e6', '573805e2-c983-43da-ba78-0737b4e43052', 'isChildOf', '6eabe7a0-5dc0-458d-842f-2f76c3610153', NULL, '573805e2-c983-43da-ba78-0737b4e43052', NULL, 'f2a6b5eb-165f-56e1-b40f-46c9d082dca7', '', 'SSSC Code of Practice for Social Service Workers', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('da3bb6c8-5ffb-4e95-bc5b-8b45d55da757', '2477502d-73e6-5279-9e04-8cb71e4efa81', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', '3a1ccbec-7911-4b94-8f25-f9d106172923', NULL, '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', NULL, 'a2c97496-14ff-5afe-bbac-b6aad1b8d15c', '', 'The NMC Code: professional standards of practice and behaviour for nurses, midwives and nursing associates', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('cc0554dc-5ecc-49d1-adfc-7629bd47c948', 'eea755e9-b7e2-51f9-a693-60df9dfa2d78', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', 'bf3af523-5fdb-44b7-a62f-69c535f83878', '3a1ccbec-7911-4b94-8f25-f9d106172923', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'b6046bae-2a58-5202-8f44-c9fd5baf14de', '', 'NMC.PP', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('4318679e-f6f4-415e-b3d6-67abc6ff6c2e', '513aa81a-c3f2-5a0a-8ef9-473e7895be34', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', '9a8348a1-ddd9-48d9-824e-b46bce9c635e', '3a1ccbec-7911-4b94-8f25-f9d106172923', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'b6046bae-2a58-5202-8f44-c9fd5baf14de', '', 'NMC.PP', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('d8c367ee-9aca-4bde-950a-154c72935985', 'b6532d54-978c-5f9b-851a-bda89fc158ff', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', '624d9406-f591-4c17-8aa7-f49563759dc2', '3a1ccbec-7911-4b94-8f25-f9d106172923', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'b6046bae-2a58-5202-8f44-c9fd5baf14de', '', 'NMC.PP', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('44fc8d2e-4c90-4a4c-ae81-4651a795a746', 'a5d6df71-5b0d-5eb8-ac39-b18cd6d5bd05', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', '6e01ab8e-b0cb-4a1d-ad39-34f81aeb2c37', '3a1ccbec-7911-4b94-8f25-f9d106172923', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'b6046bae-2a58-5202-8f44-c9fd5baf14de', '', 'NMC.PP', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('f8f36dc7-04d4-4b54-bf6c-6fef856d5486', 'c67db1be-4a74-53b8-a0b4-bbc4e1a2fcd9', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', 'b72c3bec-8512-430e-a78d-6099875d27f8', '3a1ccbec-7911-4b94-8f25-f9d106172923', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'b6046bae-2a58-5202-8f44-c9fd5baf14de', '', 'NMC.PP', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('8e785586-83ef-4e99-99f8-c8f6f6cf4186', '70df4c31-6695-51a0-802f-cf94ab406ab0', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', 'fe6ae91a-ef5b-4b2c-bf43-e7bc2b9b8c20', NULL, '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', NULL, 'a2c97496-14ff-5afe-bbac-b6aad1b8d15c', '', 'The NMC Code: professional standards of practice and behaviour for nurses, midwives and nursing associates', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('06ef08d3-6190-471e-81f2-1b552423735f', '5611fb06-1a6c-534f-afed-7dd0fce60d4d', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', 'e261421d-3f76-48ae-963d-a9c236825f22', 'fe6ae91a-ef5b-4b2c-bf43-e7bc2b9b8c20', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '119aa767-4bc8-5f8b-9e73-be811e9918fe', '', 'NMC.PE', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('96fa79af-4458-4db8-a166-6866052b99d7', '38861e13-431a-5aca-ba92-020e531c0a35', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', 'dc087ceb-3941-4ddf-813e-89691647aed4', 'fe6ae91a-ef5b-4b2c-bf43-e7bc2b9b8c20', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '119aa767-4bc8-5f8b-9e73-be811e9918fe', '', 'NMC.PE', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('dab467ce-5c7b-491b-8f50-f2798618e9dd', 'c2f454cf-223a-5c3d-ab55-90f711438511', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', 'fe4ca323-8f62-4319-a5ce-a22bb6c6fe5f', 'fe6ae91a-ef5b-4b2c-bf43-e7bc2b9b8c20', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '119aa767-4bc8-5f8b-9e73-be811e9918fe', '', 'NMC.PE', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('fd6c60f2-cf77-477f-9e07-c91726ff9f6f', 'c91ac2cb-37c9-557b-9640-222b073fe3b0', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', '79829a7f-748c-487c-ae21-c5e1b368444a', 'fe6ae91a-ef5b-4b2c-bf43-e7bc2b9b8c20', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '119aa767-4bc8-5f8b-9e73-be811e9918fe', '', 'NMC.PE', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('2709df7a-a5fa-462f-b22c-82a145100882', '4c805c86-77e4-540f-b3a8-84394e4a7671', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', '56842a76-88ed-4bfa-afe6-eb97cf0a7981', 'fe6ae91a-ef5b-4b2c-bf43-e7bc2b9b8c20', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '119aa767-4bc8-5f8b-9e73-be811e9918fe', '', 'NMC.PE', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('86851e7a-c5bc-4d31-a186-66c51feab037', '8067c176-7ef3-5615-84a1-c086ff50df86', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', '6d15fee3-825e-44f2-802c-d471c8dfcd95', 'fe6ae91a-ef5b-4b2c-bf43-e7bc2b9b8c20', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '119aa767-4bc8-5f8b-9e73-be811e9918fe', '', 'NMC.PE', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('1ac07189-f7e9-468b-b06d-c9e871091117', 'fd5b07d4-9d30-5a4c-a526-2745ef3b708d', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', '81ac8c5f-ab10-4cdb-a0ed-f7f60a0e7061', 'fe6ae91a-ef5b-4b2c-bf43-e7bc2b9b8c20', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '119aa767-4bc8-5f8b-9e73-be811e9918fe', '', 'NMC.PE', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('f4b8beb8-12e2-4615-bc4a-f03740141390', '94d0b62d-8d6f-5403-865c-3aad633f946b', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', '5eea1bdf-dd63-4bda-b39d-53f081884786', NULL, '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', NULL, 'a2c97496-14ff-5afe-bbac-b6aad1b8d15c', '', 'The NMC Code: professional standards of practice and behaviour for nurses, midwives and nursing associates', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('fdbdd87a-f74d-4a36-bf2f-09180a01da2e', '256bdb1d-9a78-5080-a8f5-31b1ddc35811', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', 'de39a639-d489-4836-9842-bcfe358fa120', '5eea1bdf-dd63-4bda-b39d-53f081884786', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'f22f349a-d036-54c2-8c7b-4ce99f3ef8c8', '', 'NMC.PS', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('54cdd180-7720-4fad-9ed1-ad9dbb9bfa6a', 'f6d6d4ce-15ef-5713-94b3-67ac9ee935f3', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', '0dea6ea0-9bd7-4508-a34b-8a640d303b54', '5eea1bdf-dd63-4bda-b39d-53f081884786', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'f22f349a-d036-54c2-8c7b-4ce99f3ef8c8', '', 'NMC.PS', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('a8f90a49-f9ec-4a54-a32e-777076f8bb8a', '067163f6-b505-5e3f-8a29-544f78ded02c', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', '33e36144-c583-48c1-8df2-bfb924c685ab', '5eea1bdf-dd63-4bda-b39d-53f081884786', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'f22f349a-d036-54c2-8c7b-4ce99f3ef8c8', '', 'NMC.PS', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('09f207aa-8c0c-42a3-8450-8f3e30f0d953', '04952c52-699a-59be-8aa3-b87c881249b6', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', '4211a4aa-88f4-412e-b463-6977a85d5077', '5eea1bdf-dd63-4bda-b39d-53f081884786', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'f22f349a-d036-54c2-8c7b-4ce99f3ef8c8', '', 'NMC.PS', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('3982c2d2-b006-4d06-9ed6-b03c077236f1', '070bb20a-c003-528d-88a6-5d73900b545a', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', 'e9cf773b-40a4-4f42-804a-19e136ae9865', '5eea1bdf-dd63-4bda-b39d-53f081884786', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'f22f349a-d036-54c2-8c7b-4ce99f3ef8c8', '', 'NMC.PS', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('c1d12879-a966-46c9-8158-b6557f2000d6', '8de78464-4ddf-5b6d-baee-1a76e2dc21fc', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', 'b3c70eb4-ffc2-41c9-ad8d-a945cd894787', '5eea1bdf-dd63-4bda-b39d-53f081884786', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'f22f349a-d036-54c2-8c7b-4ce99f3ef8c8', '', 'NMC.PS', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('a31c9048-94e1-49e3-a3e5-328f55ec9e84', 'b72819fb-51fd-5a84-aec5-32cf2c3a5e3c', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', '50aa9bc3-9053-4147-bd41-896b382ac5d7', '5eea1bdf-dd63-4bda-b39d-53f081884786', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'f22f349a-d036-54c2-8c7b-4ce99f3ef8c8', '', 'NMC.PS', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('aff08db9-e8ec-437e-8f8d-2c5aafaa6688', '489afaf5-a487-5d4f-9d0b-bcdb7ca88d05', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', '0ea69d0a-54a6-4ad7-ac12-4266478194b0', NULL, '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', NULL, 'a2c97496-14ff-5afe-bbac-b6aad1b8d15c', '', 'The NMC Code: professional standards of practice and behaviour for nurses, midwives and nursing associates', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('6e07c1b7-1cad-43e4-b491-c5b4b1e65f24', '7970bb86-75aa-54db-b663-c00b84a74f30', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', '77e1f9b6-7682-4ca6-980d-cc4e4c1955dd', '0ea69d0a-54a6-4ad7-ac12-4266478194b0', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '07e8d5eb-f539-574d-8cac-413eace517c0', '', 'NMC.PT', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('c8c55249-8613-40dd-9f0a-3bb71eef981a', '80de82d8-bb99-53ab-ba62-eb2453c8ac1c', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', '7f8a9808-e0da-4f4a-b55e-ff267f9752aa', '0ea69d0a-54a6-4ad7-ac12-4266478194b0', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '07e8d5eb-f539-574d-8cac-413eace517c0', '', 'NMC.PT', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('01d5ed25-38e9-43dd-b6df-f138bf2c2380', '7bc1a342-5e52-5029-96c6-32ff7004b5da', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', '9fe2cae1-bc12-4dec-bef1-f4ae697b5c27', '0ea69d0a-54a6-4ad7-ac12-4266478194b0', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '07e8d5eb-f539-574d-8cac-413eace517c0', '', 'NMC.PT', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('6a740eac-5386-46cb-ae12-2e97ca71a7f5', '13bdbaeb-e9f8-54d6-9671-9a326ebf63a3', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', '22ae69ba-a2a7-47c1-9e56-d1c98f5fd851', '0ea69d0a-54a6-4ad7-ac12-4266478194b0', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '07e8d5eb-f539-574d-8cac-413eace517c0', '', 'NMC.PT', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('72714c19-cac1-427e-9ae6-41130eae094e', 'd4719cf9-8008-5f3b-8c80-2bd05d5ea3ae', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', '48ff7844-d439-4848-9a84-dbb14bc04c60', '0ea69d0a-54a6-4ad7-ac12-4266478194b0', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '07e8d5eb-f539-574d-8cac-413eace517c0', '', 'NMC.PT', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('0f2c23fa-32ab-49ec-a481-447b69dded79', '2b42fa6f-4730-52a9-99e9-5ced1ab06f9e', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'isChildOf', 'f4800498-1839-476f-a1a7-76f65059bc68', '0ea69d0a-54a6-4ad7-ac12-4266478194b0', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '07e8d5eb-f539-574d-8cac-413eace517c0', '', 'NMC.PT', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('5de30688-8422-41b6-94f2-dded31542b74', '6187eebd-5818-5bfa-a6cb-cc99e926e999', '0f5aa5f5-3b63-4a83-bfb8-b81c5638e074', 'isChildOf', '0939dbac-aca7-4d8d-b33f-bb1acd72f0c0', NULL, '0f5aa5f5-3b63-4a83-bfb8-b81c5638e074', NULL, 'a9d4a5e4-80fb-524a-b5c9-13e9cdfa74d5', '', 'HCPC standards of continuing professional development', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('bb52dc1e-e3bb-4cae-82a2-e818b72177c7', '3a7b632f-1bc2-52df-80ff-dfae03aa5275', '0f5aa5f5-3b63-4a83-bfb8-b81c5638e074', 'isChildOf', 'e07029b6-11ac-4d27-b915-85f859e341ca', NULL, '0f5aa5f5-3b63-4a83-bfb8-b81c5638e074', NULL, 'a9d4a5e4-80fb-524a-b5c9-13e9cdfa74d5', '', 'HCPC standards of continuing professional development', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('e872e910-bc18-41e0-83e6-8afc39ce7418', '7e4e7a27-d51b-59a6-8149-6cd1765e8a5d', '0f5aa5f5-3b63-4a83-bfb8-b81c5638e074', 'isChildOf', '432c68a4-5e56-426d-ba01-61a97c574a6c', NULL, '0f5aa5f5-3b63-4a83-bfb8-b81c5638e074', NULL, 'a9d4a5e4-80fb-524a-b5c9-13e9cdfa74d5', '', 'HCPC standards of continuing professional development', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('9286e647-6f26-4c2d-8697-b422b8c4ca2f', 'a989c30d-e258-59cf-b1f2-2e716c9b0630', '0f5aa5f5-3b63-4a83-bfb8-b81c5638e074', 'isChildOf', '69e99d42-e9f3-4998-abeb-1f4f1976fc53', NULL, '0f5aa5f5-3b63-4a83-bfb8-b81c5638e074', NULL, 'a9d4a5e4-80fb-524a-b5c9-13e9cdfa74d5', '', 'HCPC standards of continuing professional development', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('b63e7e10-06b9-4560-8ba6-23af8292ddc2', 'd7e3c299-015c-5844-ab6d-8e27932f3efb', '0f5aa5f5-3b63-4a83-bfb8-b81c5638e074', 'isChildOf', '84ad835d-4968-4fe5-888f-2f3830513d62', NULL, '0f5aa5f5-3b63-4a83-bfb8-b81c5638e074', NULL, 'a9d4a5e4-80fb-524a-b5c9-13e9cdfa74d5', '', 'HCPC standards of continuing professional development', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('4e8b2a9c-e2da-45fe-bc41-e3f2f3f6f645', 'fa66188c-978f-5f16-8844-e8b0fd44b25f', 'b0820b32-d38f-4bab-a2a6-fe727950a27f', 'isChildOf', 'd1587f4c-cb61-44b2-bc6f-a1d8f4e4c4b1', NULL, 'b0820b32-d38f-4bab-a2a6-fe727950a27f', NULL, '8df78215-77c1-539f-ba1b-c5990f51b893', '', 'Social Work England professional standards', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('b332f5ef-823d-438a-96de-7964e62be015', '1df59cbe-b69c-5f89-a228-3c9f6c710408', 'b0820b32-d38f-4bab-a2a6-fe727950a27f', 'isChildOf', '90841533-0859-4b4d-b896-436c77e80d67', NULL, 'b0820b32-d38f-4bab-a2a6-fe727950a27f', NULL, '8df78215-77c1-539f-ba1b-c5990f51b893', '', 'Social Work England professional standards', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('ed57161a-48f7-4ae4-945a-b18e7d5eebad', '9687327d-6afb-5e57-971b-68f946c4bec5', 'b0820b32-d38f-4bab-a2a6-fe727950a27f', 'isChildOf', '5d9b4c4e-c1a1-4496-b207-3cf157f7949b', NULL, 'b0820b32-d38f-4bab-a2a6-fe727950a27f', NULL, '8df78215-77c1-539f-ba1b-c5990f51b893', '', 'Social Work England professional standards', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('742074bb-9735-4f89-8b22-2054b2192a36', 'e9f47eb6-cce0-545a-bd8b-90e3d70a6978', 'b0820b32-d38f-4bab-a2a6-fe727950a27f', 'isChildOf', '29de2ef4-f434-4b5f-9276-e3b9d9129100', NULL, 'b0820b32-d38f-4bab-a2a6-fe727950a27f', NULL, '8df78215-77c1-539f-ba1b-c5990f51b893', '', 'Social Work England professional standards', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('657f4bd9-81ba-4679-8d2b-0514f20ecfd2', '030958a3-6907-5a12-ba98-30e5d4f3c578', 'b0820b32-d38f-4bab-a2a6-fe727950a27f', 'isChildOf', 'ad482ba5-5fa7-42d4-89d1-e36183fd3a61', NULL, 'b0820b32-d38f-4bab-a2a6-fe727950a27f', NULL, '8df78215-77c1-539f-ba1b-c5990f51b893', '', 'Social Work England professional standards', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('17c6ad9f-2be6-4cf7-9609-af9f6166546e', 'da2a820f-6271-5835-9311-bdd507aae9ae', 'b0820b32-d38f-4bab-a2a6-fe727950a27f', 'isChildOf', 'f59751f2-db2c-40a2-82cd-57ac7fe4b54f', NULL, 'b0820b32-d38f-4bab-a2a6-fe727950a27f', NULL, '8df78215-77c1-539f-ba1b-c5990f51b893', '', 'Social Work England professional standards', NULL, 'publisher', '', '');
INSERT INTO public.competence_association VALUES ('69df28b7-136a-4cf2-b655-8dd4d04d4ef8', 'da51eb76-a1b4-52a1-8fb5-f7d125eec696', NULL, 'isRelatedTo', 'dfb6551c-2964-4f4e-bffc-9efc7e5f5e5d', 'd60a039d-8d46-4c16-b7b5-043947927a7a', '491df0d3-09c2-456f-944a-a2784cc34ba6', '573805e2-c983-43da-ba78-0737b4e43052', 'efa62579-1fbd-5f09-a679-c3f3ea71b74f', '', '', NULL, 'cpl', 'Rights-based practice is what the Code''s first section asks of every worker.', '');
INSERT INTO public.competence_association VALUES ('b4e44780-6e64-4faa-91c8-31b9b9d3ece7', 'fae690d9-4d11-5fb1-b163-b3b79644a79d', NULL, 'isRelatedTo', '42c296ca-7842-4736-b490-d1d7b61c0c64', 'b9341222-9ca4-4df8-a630-89cb4632cff8', '491df0d3-09c2-456f-944a-a2784cc34ba6', '573805e2-c983-43da-ba78-0737b4e43052', 'cf128cfa-7855-59aa-9181-6b3f1db259fe', '', '', NULL, 'cpl', 'Learning about protection supports protecting individuals from danger or harm.', '');
INSERT INTO public.competence_association VALUES ('bc1e3018-3fee-41b4-9460-a727b02c7b1f', '1409f25c-6f9a-5298-a36a-51ac3500edc5', NULL, 'isRelatedTo', '551f689a-3624-4c4b-9469-49a6a5be011f', 'dc087ceb-3941-4ddf-813e-89691647aed4', '491df0d3-09c2-456f-944a-a2784cc34ba6', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2e830f08-4c0a-5838-a6c7-618741a01c0d', '', '', NULL, 'cpl', 'Both are about communicating clearly with the people you support and your colleagues.', '');
INSERT INTO public.competence_association VALUES ('6e7a6f8d-2083-4d86-b66a-06a7f6284a33', '8281f091-fa18-5600-965e-225da1c16469', NULL, 'isRelatedTo', '42c296ca-7842-4736-b490-d1d7b61c0c64', 'e9cf773b-40a4-4f42-804a-19e136ae9865', '491df0d3-09c2-456f-944a-a2784cc34ba6', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '46910dd5-e5d3-50d8-9504-a8fa0df82011', '', '', NULL, 'cpl', 'Both are about recognising and acting on a risk of harm to someone vulnerable.', '');
INSERT INTO public.competence_association VALUES ('6a46c7f8-5432-4cb8-8166-fb58b01b48fa', '5bf923ab-cc07-5aad-af98-a848c946f3a0', NULL, 'isRelatedTo', '4e524dde-3970-49fc-887b-900f71a64b13', 'f4800498-1839-476f-a1a7-76f65059bc68', '491df0d3-09c2-456f-944a-a2784cc34ba6', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '07cb4996-b1f3-55b2-aad7-1f65f2c157af', '', '', NULL, 'cpl', 'Both are about leadership that protects wellbeing and improves care.', '');
INSERT INTO public.competence_association VALUES ('458d0f4e-8472-42d6-915b-351b39c4fae7', '07f01ee7-5676-5d3e-a84a-61552587b06f', NULL, 'isRelatedTo', '9a6f0a72-8ff9-4474-b93f-b73ba89bc9c6', '29de2ef4-f434-4b5f-9276-e3b9d9129100', '491df0d3-09c2-456f-944a-a2784cc34ba6', 'b0820b32-d38f-4bab-a2a6-fe727950a27f', '56a035ca-a865-58af-bf0e-ffa9e8e2e756', '', '', NULL, 'cpl', 'SWE''s CPD standard asks for critical reflection using supervision and feedback.', '');
INSERT INTO public.competence_association VALUES ('0e512231-7528-41ec-bdf0-3135d1478687', '49ddd8ce-3adc-5fbf-a36a-cf1ad094ad02', NULL, 'isRelatedTo', 'd60a039d-8d46-4c16-b7b5-043947927a7a', 'd1587f4c-cb61-44b2-bc6f-a1d8f4e4c4b1', '573805e2-c983-43da-ba78-0737b4e43052', 'b0820b32-d38f-4bab-a2a6-fe727950a27f', 'b84cb77a-2ba2-54a0-9f77-7021aa4cf16e', '', '', NULL, 'cpl', 'Both put promoting the rights and interests of the people served first.', '');
INSERT INTO public.competence_association VALUES ('39c49d2d-d0a9-4b10-b825-535679417020', '5401bf1f-4e13-517f-af8a-ce023003a545', NULL, 'isRelatedTo', 'a2c1525c-0ee4-49b2-aeeb-fd646172271c', '90841533-0859-4b4d-b896-436c77e80d67', '573805e2-c983-43da-ba78-0737b4e43052', 'b0820b32-d38f-4bab-a2a6-fe727950a27f', '8c3f1a2b-1bba-5285-a01f-f365c8b5612c', '', '', NULL, 'cpl', 'Both are about earning and keeping the trust and confidence of the people served.', '');
INSERT INTO public.competence_association VALUES ('73006215-de90-4275-9ea2-50ba8787cd73', '2b743736-da48-5fec-9038-a46d741ce2b3', NULL, 'isRelatedTo', '6eabe7a0-5dc0-458d-842f-2f76c3610153', '5d9b4c4e-c1a1-4496-b207-3cf157f7949b', '573805e2-c983-43da-ba78-0737b4e43052', 'b0820b32-d38f-4bab-a2a6-fe727950a27f', '766a29ee-b389-54a5-b24f-5d8cd5a804d7', '', '', NULL, 'cpl', 'Both make the worker accountable for the quality of their practice.', '');
INSERT INTO public.competence_association VALUES ('3ab3f906-a210-403f-a9a2-ac103d8c55c4', '61bd414d-b131-57ad-b528-de14678d7272', NULL, 'isRelatedTo', '6eabe7a0-5dc0-458d-842f-2f76c3610153', '29de2ef4-f434-4b5f-9276-e3b9d9129100', '573805e2-c983-43da-ba78-0737b4e43052', 'b0820b32-d38f-4bab-a2a6-fe727950a27f', '56a035ca-a865-58af-bf0e-ffa9e8e2e756', '', '', NULL, 'cpl', 'Both require keeping knowledge and skills up to date through continuing learning.', '');
INSERT INTO public.competence_association VALUES ('194889e8-d6aa-49f5-8f5c-54565ee111ac', '9190902c-8ab8-515b-89f1-5e733ce626ab', NULL, 'isRelatedTo', '145e8c69-6dd8-4633-b52a-b00e4772a9e9', '77e1f9b6-7682-4ca6-980d-cc4e4c1955dd', '573805e2-c983-43da-ba78-0737b4e43052', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '205dcfd1-97d4-55e9-86af-a288f1737dab', '', '', NULL, 'cpl', 'Both ask for conduct that keeps the public''s trust in the profession or service.', '');
INSERT INTO public.competence_association VALUES ('1a9249f8-c08c-4116-b01d-1681b2a35015', 'b5dff66e-6ba0-5e99-bbad-a05f0baa9d8b', NULL, 'isRelatedTo', '0939dbac-aca7-4d8d-b33f-bb1acd72f0c0', '29de2ef4-f434-4b5f-9276-e3b9d9129100', '0f5aa5f5-3b63-4a83-bfb8-b81c5638e074', 'b0820b32-d38f-4bab-a2a6-fe727950a27f', '56a035ca-a865-58af-bf0e-ffa9e8e2e756', '', '', NULL, 'cpl', 'Both require a record of the registrant''s CPD.', '');

INSERT INTO public.competence_framework VALUES ('491df0d3-09c2-456f-944a-a2784cc34ba6', '835d3c7a-21fb-565e-805e-ee82946ac719', '', 'SSSC continuous professional learning: core learning elements', 'Scottish Social Services Council (SSSC)', '2024', 'en-GB', 'https://learn.sssc.uk.com/cpl/introduction', 'Titles and statements are cpl''s own short paraphrases of the SSSC''s published CPL requirements, not the SSSC''s text.', 'The annual CPL requirement for SSSC registrants in force since June 2024: each year a registrant''s learning covers every core learning element. The social care and children and young people workforces have seven elements; social workers and Care Inspectorate authorised officers cover two more. Mandatory topics: trauma-informed learning (within communication and relationships), and child protection and adult support and protection (within protection). Sources: learn.sssc.uk.com/cpl; news.sssc.uk.com, ''A new approach for CPL'' and ''A quick guide to required CPL topics'' (12 January 2026).', '2026-01-12T00:00:00+00:00', '{}', '0cd98d002c9280aaf7c424fabe9256ea939a69c51424387356ab61534459e733', true, 12, '2026-12-02 18:49:09.662682+00');
INSERT INTO public.competence_framework VALUES ('573805e2-c983-43da-ba78-0737b4e43052', 'f2a6b5eb-165f-56e1-b40f-46c9d082dca7', '', 'SSSC Code of Practice for Social Service Workers', 'Scottish Social Services Council (SSSC)', '2024', 'en-GB', 'https://www.sssc.uk.com/the-scottish-social-services-council/sssc-codes-of-practice/', 'Titles and statements are cpl''s own short paraphrases of the six sections of the Code, not the SSSC''s text.', 'The six sections of the Code for social service workers in the SSSC Codes of Practice for Social Service Workers and Employers, third edition, in effect from 1 May 2024 (replacing the 2016 and 2003 editions). Source: sssc.uk.com, ''The SSSC Codes of Practice''; news.sssc.uk.com, ''Your new SSSC Codes of Practice'' (1 May 2024).', '2024-05-01T00:00:00+00:00', '{}', '3110c82ecf4468de9e986e897580bf9aea906b4c79c1d79ce6b903c7cae60d54', true, 6, '2026-12-02 18:49:09.70198+00');
INSERT INTO public.competence_framework VALUES ('2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'a2c97496-14ff-5afe-bbac-b6aad1b8d15c', '', 'The NMC Code: professional standards of practice and behaviour for nurses, midwives and nursing associates', 'Nursing and Midwifery Council (NMC)', '2018', 'en-GB', 'https://www.nmc.org.uk/standards/code/', 'Titles and statements are cpl''s own short paraphrases of the Code''s four themes and 25 numbered standards, not the NMC''s text.', 'The Code''s four themes and its 25 numbered standards (effective 31 March 2015, updated 10 October 2018). Revalidation asks each written reflective account to say which part of the Code it relates to. Source: nmc.org.uk, ''The Code''; nmc.org.uk/revalidation/requirements.', '2018-10-10T00:00:00+00:00', '{}', '3ce0c1e250a74285e4a7af48e5b5a8072f1a4098e7e01846b2ee790ef06ab695', true, 29, '2026-12-02 18:49:09.717181+00');
INSERT INTO public.competence_framework VALUES ('0f5aa5f5-3b63-4a83-bfb8-b81c5638e074', 'a9d4a5e4-80fb-524a-b5c9-13e9cdfa74d5', '', 'HCPC standards of continuing professional development', 'Health and Care Professions Council (HCPC)', 'in force 2026', 'en-GB', 'https://www.hcpc-uk.org/standards/standards-of-continuing-professional-development/', 'Titles and statements are cpl''s own short paraphrases of the five standards, not the HCPC''s text.', 'The five standards of CPD every HCPC registrant confirms at each two-yearly renewal; 2.5% of each profession are audited and asked for a CPD profile. The edition is the text as in force when cpl checked it in 2026. Source: hcpc-uk.org, ''Standards of continuing professional development'' and ''What is CPD?''.', '2026-01-01T00:00:00+00:00', '{}', '3a7072d6aa2e7f21bb1d02c8090c42fc947399ac6f32759d8aac6f764c3e71b4', true, 5, '2026-12-02 18:49:09.737526+00');
INSERT INTO public.competence_framework VALUES ('b0820b32-d38f-4bab-a2a6-fe727950a27f', '8df78215-77c1-539f-ba1b-c5990f51b893', '', 'Social Work England professional standards', 'Social Work England', '2019', 'en-GB', 'https://www.socialworkengland.org.uk/standards/professional-standards/', 'Titles and statements are cpl''s own short paraphrases of the six standards'' headings, not Social Work England''s text.', 'The six professional standards every social worker registered in England meets, published July 2019 and in force since 2 December 2019. Source: socialworkengland.org.uk, ''Professional standards''.', '2019-12-02T00:00:00+00:00', '{}', 'd07e0bf05c03bbea34ec8b8a4e6e5c3988e6f54550d194d7bb9655b06099fdc1', true, 6, '2026-12-02 18:49:09.753008+00');

INSERT INTO public.competence_item VALUES ('dfb6551c-2964-4f4e-bffc-9efc7e5f5e5d', '491df0d3-09c2-456f-944a-a2784cc34ba6', 'c6876e00-88a8-5fc9-b409-59e60433b7c8', '', 'CLE.RIGHTS', 'Rights-based and ethical practice', 'Learning about upholding the rights of the people you support and working ethically day to day.', 'Core learning element', NULL, 0, 0, '', '{}', 'cle.rights
rights-based and ethical practice
learning about upholding the rights of the people you support and working ethically day to day.');
INSERT INTO public.competence_item VALUES ('551f689a-3624-4c4b-9469-49a6a5be011f', '491df0d3-09c2-456f-944a-a2784cc34ba6', '483c0ab0-4b8d-50cc-b1ab-0818f95ec37f', '', 'CLE.COMMS', 'Communication and relationships', 'Learning about communicating well and building trusting working relationships; it must include trauma-informed learning.', 'Core learning element', NULL, 1, 0, '', '{}', 'cle.comms
communication and relationships
learning about communicating well and building trusting working relationships; it must include trauma-informed learning.');
INSERT INTO public.competence_item VALUES ('c1875975-874d-4349-88ae-4c416a6dbd47', '491df0d3-09c2-456f-944a-a2784cc34ba6', 'd823ad58-bae0-503d-ad20-ab4fd35e1387', '', 'CLE.COMMS.TRAUMA', 'Trauma-informed learning', 'Required every year: understanding how trauma affects people and working in ways that avoid harming them again.', 'Mandatory topic', '551f689a-3624-4c4b-9469-49a6a5be011f', 2, 1, '', '{}', 'cle.comms.trauma
trauma-informed learning
required every year: understanding how trauma affects people and working in ways that avoid harming them again.');
INSERT INTO public.competence_item VALUES ('b769d768-0e6a-43d0-a5be-5a2ff57f6fc1', '491df0d3-09c2-456f-944a-a2784cc34ba6', 'af3cf064-6502-5505-a204-1e4230718de1', '', 'CLE.WELLBEING', 'Wellbeing and support', 'Learning about supporting the wellbeing of the people you work with, and looking after your own.', 'Core learning element', NULL, 3, 0, '', '{}', 'cle.wellbeing
wellbeing and support
learning about supporting the wellbeing of the people you work with, and looking after your own.');
INSERT INTO public.competence_item VALUES ('42c296ca-7842-4736-b490-d1d7b61c0c64', '491df0d3-09c2-456f-944a-a2784cc34ba6', '8de8e33c-ce11-5e12-89c2-7c1351476f04', '', 'CLE.PROTECT', 'Protection', 'Learning about keeping people safe from harm; it must include child protection and adult support and protection.', 'Core learning element', NULL, 4, 0, '', '{}', 'cle.protect
protection
learning about keeping people safe from harm; it must include child protection and adult support and protection.');
INSERT INTO public.competence_item VALUES ('9365b3e5-a422-44c5-8c95-389b2fa07e9a', '491df0d3-09c2-456f-944a-a2784cc34ba6', '7287d784-e8d0-5702-9a0e-97b3533304d5', '', 'CLE.PROTECT.CHILD', 'Child protection', 'Required every year: recognising and acting on concerns that a child may be at risk of harm.', 'Mandatory topic', '42c296ca-7842-4736-b490-d1d7b61c0c64', 5, 1, '', '{}', 'cle.protect.child
child protection
required every year: recognising and acting on concerns that a child may be at risk of harm.');
INSERT INTO public.competence_item VALUES ('f9c68faf-cf35-4d9e-88fe-6598a91a9ece', '491df0d3-09c2-456f-944a-a2784cc34ba6', '7004977b-adef-522d-8347-2aa2f3537c4e', '', 'CLE.PROTECT.ADULT', 'Adult support and protection', 'Required every year: recognising and acting on concerns that an adult may be at risk of harm, under Scotland''s adult support and protection law.', 'Mandatory topic', '42c296ca-7842-4736-b490-d1d7b61c0c64', 6, 1, '', '{}', 'cle.protect.adult
adult support and protection
required every year: recognising and acting on concerns that an adult may be at risk of harm, under scotland''s adult support and protection law.');
INSERT INTO public.competence_item VALUES ('519183ef-883f-43ec-9141-f6fc4f7730a9', '491df0d3-09c2-456f-944a-a2784cc34ba6', 'cedfda53-0031-546c-be5a-5a9e96ab1929', '', 'CLE.ROLE', 'Knowledge for your role', 'Learning the knowledge and skills that your own role and setting call for.', 'Core learning element', NULL, 7, 0, '', '{}', 'cle.role
knowledge for your role
learning the knowledge and skills that your own role and setting call for.');
INSERT INTO public.competence_item VALUES ('9a6f0a72-8ff9-4474-b93f-b73ba89bc9c6', '491df0d3-09c2-456f-944a-a2784cc34ba6', '81535791-c1e0-526d-a9cf-5eec6db75f4b', '', 'CLE.REFLECT', 'Reflective practice', 'Thinking over your practice, alone or with others, and using what you learn to change it.', 'Core learning element', NULL, 8, 0, '', '{}', 'cle.reflect
reflective practice
thinking over your practice, alone or with others, and using what you learn to change it.');
INSERT INTO public.competence_item VALUES ('4e524dde-3970-49fc-887b-900f71a64b13', '491df0d3-09c2-456f-944a-a2784cc34ba6', 'ed598836-3a43-5aa2-b8d1-cb406ac38907', '', 'CLE.LEAD', 'Leadership and quality assurance', 'Learning about leading at whatever level you work and helping to check and improve the quality of care or support.', 'Core learning element', NULL, 9, 0, '', '{}', 'cle.lead
leadership and quality assurance
learning about leading at whatever level you work and helping to check and improve the quality of care or support.');
INSERT INTO public.competence_item VALUES ('ea1218ad-fb0e-41e8-a07d-487f1c8b98ec', '491df0d3-09c2-456f-944a-a2784cc34ba6', '973ddd4e-bd24-5eb9-9b97-0d9fb997519e', '', 'CLE.SW.SELF', 'Self-awareness and reflexivity', 'For social workers and Care Inspectorate authorised officers: understanding how your own values, experience and position shape your practice and decisions.', 'Social work core learning element', NULL, 10, 0, '', '{}', 'cle.sw.self
self-awareness and reflexivity
for social workers and care inspectorate authorised officers: understanding how your own values, experience and position shape your practice and decisions.');
INSERT INTO public.competence_item VALUES ('6021d870-92dd-47a9-b479-ffc509ab7817', '491df0d3-09c2-456f-944a-a2784cc34ba6', '4017282e-af97-53c3-a100-d93ecd32b2a9', '', 'CLE.SW.LEAD', 'Professional leadership', 'For social workers and Care Inspectorate authorised officers: taking a lead in developing professional practice, your own and others''.', 'Social work core learning element', NULL, 11, 0, '', '{}', 'cle.sw.lead
professional leadership
for social workers and care inspectorate authorised officers: taking a lead in developing professional practice, your own and others''.');
INSERT INTO public.competence_item VALUES ('d60a039d-8d46-4c16-b7b5-043947927a7a', '573805e2-c983-43da-ba78-0737b4e43052', 'efa62579-1fbd-5f09-a679-c3f3ea71b74f', '', 'SSSC.COP.1', 'Rights and interests', 'Protect and promote the rights and interests of individuals and carers, working with kindness, compassion and respect.', 'Section', NULL, 0, 0, '', '{}', 'sssc.cop.1
rights and interests
protect and promote the rights and interests of individuals and carers, working with kindness, compassion and respect.');
INSERT INTO public.competence_item VALUES ('a2c1525c-0ee4-49b2-aeeb-fd646172271c', '573805e2-c983-43da-ba78-0737b4e43052', '0d191d6a-cf7f-5ba6-86d6-7a9414e480fb', '', 'SSSC.COP.2', 'Trust and confidence', 'Earn and keep the trust and confidence of individuals and carers: be honest and reliable, respect confidentiality and keep appropriate boundaries.', 'Section', NULL, 1, 0, '', '{}', 'sssc.cop.2
trust and confidence
earn and keep the trust and confidence of individuals and carers: be honest and reliable, respect confidentiality and keep appropriate boundaries.');
INSERT INTO public.competence_item VALUES ('b9341222-9ca4-4df8-a630-89cb4632cff8', '573805e2-c983-43da-ba78-0737b4e43052', 'cf128cfa-7855-59aa-9181-6b3f1db259fe', '', 'SSSC.COP.3', 'Independence and protection from harm', 'Support individuals'' independence and their right to take informed risks, while protecting them as far as possible from danger or harm.', 'Section', NULL, 2, 0, '', '{}', 'sssc.cop.3
independence and protection from harm
support individuals'' independence and their right to take informed risks, while protecting them as far as possible from danger or harm.');
INSERT INTO public.competence_item VALUES ('ba7c404c-344a-43e6-a117-a8467896c350', '573805e2-c983-43da-ba78-0737b4e43052', '522b3f89-a895-5aac-bf1a-6d71237bb0c6', '', 'SSSC.COP.4', 'Rights and the safety of others', 'Respect individuals'' rights while taking reasonable steps so that their behaviour does not harm themselves or other people.', 'Section', NULL, 3, 0, '', '{}', 'sssc.cop.4
rights and the safety of others
respect individuals'' rights while taking reasonable steps so that their behaviour does not harm themselves or other people.');
INSERT INTO public.competence_item VALUES ('145e8c69-6dd8-4633-b52a-b00e4772a9e9', '573805e2-c983-43da-ba78-0737b4e43052', '367b9f3d-1584-59c7-92c3-da03fce18acb', '', 'SSSC.COP.5', 'Public trust in social services', 'Behave, at work and outside it, in a way that keeps the public''s trust and confidence in social services.', 'Section', NULL, 4, 0, '', '{}', 'sssc.cop.5
public trust in social services
behave, at work and outside it, in a way that keeps the public''s trust and confidence in social services.');
INSERT INTO public.competence_item VALUES ('6eabe7a0-5dc0-458d-842f-2f76c3610153', '573805e2-c983-43da-ba78-0737b4e43052', '2b129adb-567a-53e1-a6f6-4ec1be935d22', '', 'SSSC.COP.6', 'Accountability and learning', 'Answer for the quality of your work, and keep your knowledge and skills up to date and improving.', 'Section', NULL, 5, 0, '', '{}', 'sssc.cop.6
accountability and learning
answer for the quality of your work, and keep your knowledge and skills up to date and improving.');
INSERT INTO public.competence_item VALUES ('3a1ccbec-7911-4b94-8f25-f9d106172923', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'b6046bae-2a58-5202-8f44-c9fd5baf14de', '', 'NMC.PP', 'Prioritise people', 'Put the interests of the people in your care first: treat them as individuals, respect their dignity and respond to their needs.', 'Theme', NULL, 0, 0, '', '{}', 'nmc.pp
prioritise people
put the interests of the people in your care first: treat them as individuals, respect their dignity and respond to their needs.');
INSERT INTO public.competence_item VALUES ('bf3af523-5fdb-44b7-a62f-69c535f83878', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'f6fb70a1-6cb8-5567-9103-bc8edecd9788', '', 'NMC.1', 'Treat people as individuals', 'Treat each person with kindness, respect and compassion, and uphold their dignity.', 'Standard', '3a1ccbec-7911-4b94-8f25-f9d106172923', 1, 1, '', '{}', 'nmc.1
treat people as individuals
treat each person with kindness, respect and compassion, and uphold their dignity.');
INSERT INTO public.competence_item VALUES ('9a8348a1-ddd9-48d9-824e-b46bce9c635e', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'fe5ac0b4-7516-507f-b430-219c8f193f2b', '', 'NMC.2', 'Listen and respond', 'Work in partnership with people, listening to them and responding to their preferences and worries.', 'Standard', '3a1ccbec-7911-4b94-8f25-f9d106172923', 2, 1, '', '{}', 'nmc.2
listen and respond
work in partnership with people, listening to them and responding to their preferences and worries.');
INSERT INTO public.competence_item VALUES ('624d9406-f591-4c17-8aa7-f49563759dc2', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '63e8e5fa-5aab-556c-a69f-20ab7ed50cf1', '', 'NMC.3', 'Assess and meet needs', 'See that people''s physical, social and psychological needs are assessed and acted on.', 'Standard', '3a1ccbec-7911-4b94-8f25-f9d106172923', 3, 1, '', '{}', 'nmc.3
assess and meet needs
see that people''s physical, social and psychological needs are assessed and acted on.');
INSERT INTO public.competence_item VALUES ('6e01ab8e-b0cb-4a1d-ad39-34f81aeb2c37', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'ed3c6495-de91-57d9-8104-716e322e40f7', '', 'NMC.4', 'Act in people''s best interests', 'Act in people''s best interests at all times, respecting their right to consent or refuse.', 'Standard', '3a1ccbec-7911-4b94-8f25-f9d106172923', 4, 1, '', '{}', 'nmc.4
act in people''s best interests
act in people''s best interests at all times, respecting their right to consent or refuse.');
INSERT INTO public.competence_item VALUES ('b72c3bec-8512-430e-a78d-6099875d27f8', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '38ac118d-3099-5c0d-9c55-7077d92de238', '', 'NMC.5', 'Privacy and confidentiality', 'Respect people''s privacy and keep what you know about them confidential.', 'Standard', '3a1ccbec-7911-4b94-8f25-f9d106172923', 5, 1, '', '{}', 'nmc.5
privacy and confidentiality
respect people''s privacy and keep what you know about them confidential.');
INSERT INTO public.competence_item VALUES ('fe6ae91a-ef5b-4b2c-bf43-e7bc2b9b8c20', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '119aa767-4bc8-5f8b-9e73-be811e9918fe', '', 'NMC.PE', 'Practise effectively', 'Assess needs and give or advise on care without delay, using the best available evidence, communicating and working well with others.', 'Theme', NULL, 6, 0, '', '{}', 'nmc.pe
practise effectively
assess needs and give or advise on care without delay, using the best available evidence, communicating and working well with others.');
INSERT INTO public.competence_item VALUES ('e261421d-3f76-48ae-963d-a9c236825f22', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '851d34a6-3c46-5065-ad7c-b9cfa4c311da', '', 'NMC.6', 'Evidence-based practice', 'Base your practice on the best evidence there is, and keep your knowledge and skills current.', 'Standard', 'fe6ae91a-ef5b-4b2c-bf43-e7bc2b9b8c20', 7, 1, '', '{}', 'nmc.6
evidence-based practice
base your practice on the best evidence there is, and keep your knowledge and skills current.');
INSERT INTO public.competence_item VALUES ('dc087ceb-3941-4ddf-813e-89691647aed4', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '2e830f08-4c0a-5838-a6c7-618741a01c0d', '', 'NMC.7', 'Communicate clearly', 'Make yourself understood, and understand others, in every form of communication.', 'Standard', 'fe6ae91a-ef5b-4b2c-bf43-e7bc2b9b8c20', 8, 1, '', '{}', 'nmc.7
communicate clearly
make yourself understood, and understand others, in every form of communication.');
INSERT INTO public.competence_item VALUES ('fe4ca323-8f62-4319-a5ce-a22bb6c6fe5f', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '82e6cce6-8b5e-5130-94f5-286a65339d84', '', 'NMC.8', 'Work co-operatively', 'Work with colleagues and other professionals so that care stays safe and effective.', 'Standard', 'fe6ae91a-ef5b-4b2c-bf43-e7bc2b9b8c20', 9, 1, '', '{}', 'nmc.8
work co-operatively
work with colleagues and other professionals so that care stays safe and effective.');
INSERT INTO public.competence_item VALUES ('79829a7f-748c-487c-ae21-c5e1b368444a', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '54f43795-8df3-5439-81b3-860f77682e7c', '', 'NMC.9', 'Share skills and knowledge', 'Pass on what you know, and give and take feedback, for the good of the people in your care and your colleagues.', 'Standard', 'fe6ae91a-ef5b-4b2c-bf43-e7bc2b9b8c20', 10, 1, '', '{}', 'nmc.9
share skills and knowledge
pass on what you know, and give and take feedback, for the good of the people in your care and your colleagues.');
INSERT INTO public.competence_item VALUES ('56842a76-88ed-4bfa-afe6-eb97cf0a7981', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'e4520f97-cd25-5ec7-9bff-7d31addd1a68', '', 'NMC.10', 'Keep clear, accurate records', 'Keep records of your practice that are clear, accurate and made at the time or soon after.', 'Standard', 'fe6ae91a-ef5b-4b2c-bf43-e7bc2b9b8c20', 11, 1, '', '{}', 'nmc.10
keep clear, accurate records
keep records of your practice that are clear, accurate and made at the time or soon after.');
INSERT INTO public.competence_item VALUES ('6d15fee3-825e-44f2-802c-d471c8dfcd95', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'bf71a91e-420c-5d8e-b4c0-c7a8dccb2850', '', 'NMC.11', 'Accountable delegation', 'Answer for your decisions to hand tasks and duties to other people.', 'Standard', 'fe6ae91a-ef5b-4b2c-bf43-e7bc2b9b8c20', 12, 1, '', '{}', 'nmc.11
accountable delegation
answer for your decisions to hand tasks and duties to other people.');
INSERT INTO public.competence_item VALUES ('81ac8c5f-ab10-4cdb-a0ed-f7f60a0e7061', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'f8db725d-cfc1-575a-bff6-ac0234dcff74', '', 'NMC.12', 'Indemnity arrangement', 'Have suitable indemnity cover in place for the practice you take on in the UK.', 'Standard', 'fe6ae91a-ef5b-4b2c-bf43-e7bc2b9b8c20', 13, 1, '', '{}', 'nmc.12
indemnity arrangement
have suitable indemnity cover in place for the practice you take on in the uk.');
INSERT INTO public.competence_item VALUES ('5eea1bdf-dd63-4bda-b39d-53f081884786', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'f22f349a-d036-54c2-8c7b-4ce99f3ef8c8', '', 'NMC.PS', 'Preserve safety', 'Keep people and the public safe: work within your competence, be open when things go wrong and raise concerns when needed.', 'Theme', NULL, 14, 0, '', '{}', 'nmc.ps
preserve safety
keep people and the public safe: work within your competence, be open when things go wrong and raise concerns when needed.');
INSERT INTO public.competence_item VALUES ('de39a639-d489-4836-9842-bcfe358fa120', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '51804a91-348a-542c-8e76-9037d32f547d', '', 'NMC.13', 'Work within your competence', 'Know the limits of your competence and stay within them, asking for help when you need it.', 'Standard', '5eea1bdf-dd63-4bda-b39d-53f081884786', 15, 1, '', '{}', 'nmc.13
work within your competence
know the limits of your competence and stay within them, asking for help when you need it.');
INSERT INTO public.competence_item VALUES ('0dea6ea0-9bd7-4508-a34b-8a640d303b54', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '1e8ffb63-bded-51e1-8f80-a8bb68abc893', '', 'NMC.14', 'Be open and candid', 'Be honest with people about their care and treatment, including when something has gone wrong or caused harm.', 'Standard', '5eea1bdf-dd63-4bda-b39d-53f081884786', 16, 1, '', '{}', 'nmc.14
be open and candid
be honest with people about their care and treatment, including when something has gone wrong or caused harm.');
INSERT INTO public.competence_item VALUES ('33e36144-c583-48c1-8df2-bfb924c685ab', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '0b2799ee-4309-5e16-a150-28e87e1a8e14', '', 'NMC.15', 'Help in an emergency', 'Offer help whenever an emergency arises, at work or elsewhere.', 'Standard', '5eea1bdf-dd63-4bda-b39d-53f081884786', 17, 1, '', '{}', 'nmc.15
help in an emergency
offer help whenever an emergency arises, at work or elsewhere.');
INSERT INTO public.competence_item VALUES ('4211a4aa-88f4-412e-b463-6977a85d5077', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '928cfeeb-cdbf-5b6c-9c64-02c6309fc8eb', '', 'NMC.16', 'Act on risks to safety', 'Act at once if you believe patient safety or the protection of the public is at risk.', 'Standard', '5eea1bdf-dd63-4bda-b39d-53f081884786', 18, 1, '', '{}', 'nmc.16
act on risks to safety
act at once if you believe patient safety or the protection of the public is at risk.');
INSERT INTO public.competence_item VALUES ('e9cf773b-40a4-4f42-804a-19e136ae9865', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '46910dd5-e5d3-50d8-9504-a8fa0df82011', '', 'NMC.17', 'Protect people at risk', 'Raise concerns straight away if you believe someone is vulnerable or at risk and needs extra support and protection.', 'Standard', '5eea1bdf-dd63-4bda-b39d-53f081884786', 19, 1, '', '{}', 'nmc.17
protect people at risk
raise concerns straight away if you believe someone is vulnerable or at risk and needs extra support and protection.');
INSERT INTO public.competence_item VALUES ('b3c70eb4-ffc2-41c9-ad8d-a945cd894787', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'df36bad8-a397-526a-887b-deb0423913bf', '', 'NMC.18', 'Medicines within your competence', 'Advise on, prescribe, supply, dispense or give medicines only within your training, your competence, the law and guidance.', 'Standard', '5eea1bdf-dd63-4bda-b39d-53f081884786', 20, 1, '', '{}', 'nmc.18
medicines within your competence
advise on, prescribe, supply, dispense or give medicines only within your training, your competence, the law and guidance.');
INSERT INTO public.competence_item VALUES ('50aa9bc3-9053-4147-bd41-896b382ac5d7', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'b0b192b8-92e1-5dd7-b9a9-3685a7e2d452', '', 'NMC.19', 'Reduce potential for harm', 'Be alert to, and keep as low as possible, any potential for harm in your practice.', 'Standard', '5eea1bdf-dd63-4bda-b39d-53f081884786', 21, 1, '', '{}', 'nmc.19
reduce potential for harm
be alert to, and keep as low as possible, any potential for harm in your practice.');
INSERT INTO public.competence_item VALUES ('0ea69d0a-54a6-4ad7-ac12-4266478194b0', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '07e8d5eb-f539-574d-8cac-413eace517c0', '', 'NMC.PT', 'Promote professionalism and trust', 'Act with integrity so that people can trust you and your profession, and show leadership.', 'Theme', NULL, 22, 0, '', '{}', 'nmc.pt
promote professionalism and trust
act with integrity so that people can trust you and your profession, and show leadership.');
INSERT INTO public.competence_item VALUES ('77e1f9b6-7682-4ca6-980d-cc4e4c1955dd', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '205dcfd1-97d4-55e9-86af-a288f1737dab', '', 'NMC.20', 'Uphold the profession''s reputation', 'Behave at all times in a way that keeps the public''s trust in your profession.', 'Standard', '0ea69d0a-54a6-4ad7-ac12-4266478194b0', 23, 1, '', '{}', 'nmc.20
uphold the profession''s reputation
behave at all times in a way that keeps the public''s trust in your profession.');
INSERT INTO public.competence_item VALUES ('7f8a9808-e0da-4f4a-b55e-ff267f9752aa', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '8593dc41-90ad-52b4-884a-301c8d4fd7ba', '', 'NMC.21', 'Uphold your position as a registrant', 'Keep to the standards your registration carries, including avoiding conflicts of interest.', 'Standard', '0ea69d0a-54a6-4ad7-ac12-4266478194b0', 24, 1, '', '{}', 'nmc.21
uphold your position as a registrant
keep to the standards your registration carries, including avoiding conflicts of interest.');
INSERT INTO public.competence_item VALUES ('9fe2cae1-bc12-4dec-bef1-f4ae697b5c27', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'bd9f1950-ca1c-5f9f-9469-3d6b12972b5b', '', 'NMC.22', 'Meet registration requirements', 'Meet everything needed to stay on the register, revalidation included.', 'Standard', '0ea69d0a-54a6-4ad7-ac12-4266478194b0', 25, 1, '', '{}', 'nmc.22
meet registration requirements
meet everything needed to stay on the register, revalidation included.');
INSERT INTO public.competence_item VALUES ('22ae69ba-a2a7-47c1-9e56-d1c98f5fd851', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '3b0aac61-64b4-5ec2-908e-dc364866013b', '', 'NMC.23', 'Cooperate with investigations and audits', 'Take part fully in any investigation or audit.', 'Standard', '0ea69d0a-54a6-4ad7-ac12-4266478194b0', 26, 1, '', '{}', 'nmc.23
cooperate with investigations and audits
take part fully in any investigation or audit.');
INSERT INTO public.competence_item VALUES ('48ff7844-d439-4848-9a84-dbb14bc04c60', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', 'c2b98cfb-63fb-5b9d-a573-a04c79019f2b', '', 'NMC.24', 'Respond to complaints professionally', 'Deal professionally with any complaint made about you.', 'Standard', '0ea69d0a-54a6-4ad7-ac12-4266478194b0', 27, 1, '', '{}', 'nmc.24
respond to complaints professionally
deal professionally with any complaint made about you.');
INSERT INTO public.competence_item VALUES ('f4800498-1839-476f-a1a7-76f65059bc68', '2217bb74-e8c0-41bc-bb58-23afa9a31cf8', '07cb4996-b1f3-55b2-aad7-1f65f2c157af', '', 'NMC.25', 'Lead for safety and better care', 'Give leadership that protects people''s wellbeing and improves their experience of health and care.', 'Standard', '0ea69d0a-54a6-4ad7-ac12-4266478194b0', 28, 1, '', '{}', 'nmc.25
lead for safety and better care
give leadership that protects people''s wellbeing and improves their experience of health and care.');
INSERT INTO public.competence_item VALUES ('0939dbac-aca7-4d8d-b33f-bb1acd72f0c0', '0f5aa5f5-3b63-4a83-bfb8-b81c5638e074', 'f162f5f7-0943-5d26-ab00-bdc0a2d50f51', '', 'HCPC.CPD.1', 'Keep a CPD record', 'Record your CPD as you go, so that the record is continuous, current and accurate.', 'Standard', NULL, 0, 0, '', '{}', 'hcpc.cpd.1
keep a cpd record
record your cpd as you go, so that the record is continuous, current and accurate.');
INSERT INTO public.competence_item VALUES ('e07029b6-11ac-4d27-b915-85f859e341ca', '0f5aa5f5-3b63-4a83-bfb8-b81c5638e074', '2424a7cf-2f66-5347-a8ed-901ff25e2a98', '', 'HCPC.CPD.2', 'A mix of learning activities', 'Show that your CPD is a mixture of kinds of learning, relevant to your practice now or in future.', 'Standard', NULL, 1, 0, '', '{}', 'hcpc.cpd.2
a mix of learning activities
show that your cpd is a mixture of kinds of learning, relevant to your practice now or in future.');
INSERT INTO public.competence_item VALUES ('432c68a4-5e56-426d-ba01-61a97c574a6c', '0f5aa5f5-3b63-4a83-bfb8-b81c5638e074', '6d8bad83-8f96-5b0f-b83e-043eea878474', '', 'HCPC.CPD.3', 'Better practice and service', 'Aim for your CPD to improve the quality of your practice and of the service you deliver.', 'Standard', NULL, 2, 0, '', '{}', 'hcpc.cpd.3
better practice and service
aim for your cpd to improve the quality of your practice and of the service you deliver.');
INSERT INTO public.competence_item VALUES ('69e99d42-e9f3-4998-abeb-1f4f1976fc53', '0f5aa5f5-3b63-4a83-bfb8-b81c5638e074', '8ca65048-7f05-5337-8490-2d708f214045', '', 'HCPC.CPD.4', 'Benefits service users', 'Aim for your CPD to benefit the people who use your service.', 'Standard', NULL, 3, 0, '', '{}', 'hcpc.cpd.4
benefits service users
aim for your cpd to benefit the people who use your service.');
INSERT INTO public.competence_item VALUES ('84ad835d-4968-4fe5-888f-2f3830513d62', '0f5aa5f5-3b63-4a83-bfb8-b81c5638e074', '9a09e736-137d-582d-a880-cf45a5d029e1', '', 'HCPC.CPD.5', 'A profile on request', 'When asked, present a written profile of your own, backed by evidence, that explains how you have met these standards.', 'Standard', NULL, 4, 0, '', '{}', 'hcpc.cpd.5
a profile on request
when asked, present a written profile of your own, backed by evidence, that explains how you have met these standards.');
INSERT INTO public.competence_item VALUES ('d1587f4c-cb61-44b2-bc6f-a1d8f4e4c4b1', 'b0820b32-d38f-4bab-a2a6-fe727950a27f', 'b84cb77a-2ba2-54a0-9f77-7021aa4cf16e', '', 'SWE.1', 'Rights, strengths and wellbeing', 'Value people as individuals, build on their strengths, and promote the rights and wellbeing of people, families and communities.', 'Standard', NULL, 0, 0, '', '{}', 'swe.1
rights, strengths and wellbeing
value people as individuals, build on their strengths, and promote the rights and wellbeing of people, families and communities.');
INSERT INTO public.competence_item VALUES ('90841533-0859-4b4d-b896-436c77e80d67', 'b0820b32-d38f-4bab-a2a6-fe727950a27f', '8c3f1a2b-1bba-5285-a01f-f365c8b5612c', '', 'SWE.2', 'Trust and confidence', 'Build and keep people''s trust and confidence through honest, respectful professional relationships.', 'Standard', NULL, 1, 0, '', '{}', 'swe.2
trust and confidence
build and keep people''s trust and confidence through honest, respectful professional relationships.');
INSERT INTO public.competence_item VALUES ('5d9b4c4e-c1a1-4496-b207-3cf157f7949b', 'b0820b32-d38f-4bab-a2a6-fe727950a27f', '766a29ee-b389-54a5-b24f-5d8cd5a804d7', '', 'SWE.3', 'Accountable practice and decisions', 'Take responsibility for the quality of your practice and for the decisions you make.', 'Standard', NULL, 2, 0, '', '{}', 'swe.3
accountable practice and decisions
take responsibility for the quality of your practice and for the decisions you make.');
INSERT INTO public.competence_item VALUES ('29de2ef4-f434-4b5f-9276-e3b9d9129100', 'b0820b32-d38f-4bab-a2a6-fe727950a27f', '56a035ca-a865-58af-bf0e-ffa9e8e2e756', '', 'SWE.4', 'Continuing professional development', 'Keep developing as a practitioner: reflect with supervision and feedback, find your learning needs, and record your CPD.', 'Standard', NULL, 3, 0, '', '{}', 'swe.4
continuing professional development
keep developing as a practitioner: reflect with supervision and feedback, find your learning needs, and record your cpd.');
INSERT INTO public.competence_item VALUES ('ad482ba5-5fa7-42d4-89d1-e36183fd3a61', 'b0820b32-d38f-4bab-a2a6-fe727950a27f', 'ec4be86e-9ae0-5602-a43c-77cd5aac9704', '', 'SWE.5', 'Safety, respect and integrity', 'Act safely and respectfully and keep your professional integrity.', 'Standard', NULL, 4, 0, '', '{}', 'swe.5
safety, respect and integrity
act safely and respectfully and keep your professional integrity.');
INSERT INTO public.competence_item VALUES ('f59751f2-db2c-40a2-82cd-57ac7fe4b54f', 'b0820b32-d38f-4bab-a2a6-fe727950a27f', 'bd781c5c-eb65-5ee2-b828-9d19024c97b8', '', 'SWE.6', 'Ethical practice and raising concerns', 'Promote ethical practice and report concerns about practice or conduct.', 'Standard', NULL, 5, 0, '', '{}', 'swe.6
ethical practice and raising concerns
promote ethical practice and report concerns about practice or conduct.');

INSERT INTO public.competence_link VALUES ('04dbe799-5bde-4c56-97e5-923d3b0faea4', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', 'b475dced-253d-4ba1-8087-2c3c14dd2534', 'dfb6551c-2964-4f4e-bffc-9efc7e5f5e5d', '491df0d3-09c2-456f-944a-a2784cc34ba6', 'Case study 2', '2026-12-02 18:49:10.326152+00');
INSERT INTO public.competence_link VALUES ('4e1572e4-7bbc-400d-8734-7791dbc0c5e7', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', 'b475dced-253d-4ba1-8087-2c3c14dd2534', 'e07029b6-11ac-4d27-b915-85f859e341ca', '0f5aa5f5-3b63-4a83-bfb8-b81c5638e074', 'Case study 2', '2026-12-02 18:49:10.326195+00');

INSERT INTO public.evidence_change_counter VALUES ('e86a7932-6eb2-4e13-bc10-d93b0ab851df', 5);

INSERT INTO public.evidence_entry VALUES ('b475dced-253d-4ba1-8087-2c3c14dd2534', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', 'learning_activity', 'Safeguarding refresher', '2026-10-14', NULL, 90, true, 'course', 'Safeguarding refresher: notes.', '{"what_happened":"A case study.","what_i_learned":"Escalation out of hours.","how_it_changes_practice":"I record when I escalate."}', '["safeguarding","Night Shift"]', 'safeguarding refresher
safeguarding refresher: notes.
a case study.
escalation out of hours.
i record when i escalate.', '
safeguarding
night shift
', '0c2cc1b53d77804e5055d2ae04141ee3a534c246a5616e243e1b659ee6206ea1', 1, 1, '2026-12-02 18:49:09.980704+00', '2026-12-02 18:49:09.980704+00', NULL);
INSERT INTO public.evidence_entry VALUES ('f44a9111-699c-42b1-bb4a-a4acbadd55e0', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', 'learning_activity', 'Wound care study day', '2026-10-14', NULL, 90, true, 'course', 'Wound care study day: notes.', '{"what_happened":"A case study.","what_i_learned":"Escalation out of hours.","how_it_changes_practice":"I record when I escalate."}', '["safeguarding","Night Shift"]', 'wound care study day
wound care study day: notes.
a case study.
escalation out of hours.
i record when i escalate.', '
safeguarding
night shift
', 'a5918278747391c12eba175d2070342cff6fdd416cb4646cc365a2841fab62db', 1, 2, '2026-12-02 18:49:09.999196+00', '2026-12-02 18:49:09.999196+00', NULL);
INSERT INTO public.evidence_entry VALUES ('a804af95-6820-4564-a358-32b1b8bdf1f0', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', 'reflective_account', 'Reading: dementia care', '2026-10-14', NULL, 90, true, 'reading', 'Reading: dementia care: notes.', '{"what_happened":"A case study.","what_i_learned":"Escalation out of hours.","how_it_changes_practice":"I record when I escalate."}', '["safeguarding","Night Shift"]', 'reading: dementia care
reading: dementia care: notes.
a case study.
escalation out of hours.
i record when i escalate.', '
safeguarding
night shift
', 'ef61e4afae55b8a9d7ac8f35265d736d70b64d71111b5b5c8b0689a4f9bc2830', 1, 3, '2026-12-02 18:49:10.013962+00', '2026-12-02 18:49:10.013962+00', NULL);
INSERT INTO public.evidence_entry VALUES ('cbc9c243-c873-4bb0-b139-d46e8c4953e1', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', 'learning_activity', '', '2026-10-14', NULL, 0, true, 'course', '', '{}', '[]', '', '', '', 2, 5, '2026-12-02 18:49:10.027251+00', '2026-12-02 18:49:10.050899+00', '2026-12-02 18:49:10.050899+00');

INSERT INTO public.evidence_share VALUES ('5085ee69-fa55-4d17-80ac-702476cf8398', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', '12217b1c-38b1-4381-9c24-0dce756fb605', '118f000b-ff69-4d12-8d4b-ea777ae0ba1a', 'entries', NULL, NULL, NULL, NULL, '2026-12-02 18:49:10.820733+00', NULL, '');

INSERT INTO public.export VALUES ('c46dfd46-abae-4040-9dc0-5c67c215dcf9', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', 'json', '{"period": null, "framework_ids": [], "registration_id": null, "entry_ids": []}', 'd81f07054526853f5c856aacacd7b20ccd1d36aca290f37082f5861780f482fe', NULL, NULL, 'done', 4, 4, '', 'exports/c46dfd46abae40409dc05c67c215dcf9', 'application/json', 14029, 'caa6c9faa1f1ed7b3571404d12b0e0fe33834216644e90cf1bf271ad76d6ec48', 'eyJhbGciOiJFZERTQSIsImtpZCI6ImRpZDp3ZWI6bG9jYWxob3N0JTNBODAwMCNLQnU1QjdhTkVqalNrRF9zakJmZzQ1QkltSl9UZU16X1N3ZTZVN3R1X1JNIiwidHlwIjoiY3BsLWV4cG9ydCtqd3MifQ.eyJleHBvcnRfaWQiOiJjNDZkZmQ0Ni1hYmFlLTQwNDAtOWRjMC01YzY3YzIxNWRjZjkiLCJmb3JtYXQiOiJqc29uIiwic2hhMjU2IjoiY2FhNmM5ZmFhMWYxZWQ3YjM1NzE0MDRkMTJiMGUwZmUzMzgzNDIxNjY0NGU5MGNmMWJmMjcxYWQ3NmQ2ZWM0OCIsInNpZ25lZF9hdCI6IjIwMjYtMTItMDJUMTg6NDk6MTEuODM5OTEzWiIsInNpemUiOjE0MDI5fQ.HHj3Q0u0ezFz02_f3hv01Y9MnwxthlcJ3cAKdESS6MDQ7BYa0IgwtHZBxoYzgeSnC1pXyR6mNjsS68fx5FjGAw', '2026-12-02 18:49:11.839913+00', 'KBu5B7aNEjjSkD_sjBfg45BImJ_TeMz_Swe6U7tu_RM', NULL, NULL, '2026-12-02 18:49:11.600866+00', '2026-12-02 18:49:11.648824+00', '2026-12-02 18:49:11.840722+00', '2026-12-02 18:49:11.839913+00');

INSERT INTO public.export_share VALUES ('11420e4f-602c-4cb8-b06a-80c7b1ad9f48', 'c46dfd46-abae-4040-9dc0-5c67c215dcf9', 'e53c8ddf9aed31e200e697313a71866b3b5ee28ef67bad3cc4061b5a0c1ceb98', '', 'For my manager', '2026-12-16 18:49:11.875849+00', NULL, '2026-12-02 18:49:11.875971+00');

INSERT INTO public.gap_explanation VALUES ('687582ec-90ac-42f6-a797-ed972b0782af', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', 'd9342f87-3106-4932-aea3-d94511d38995', '2025-01-01', '2025-02-01', 'Parental leave', '2026-12-02 18:49:10.260696+00');

INSERT INTO public.invitation VALUES ('b981b97c-a63d-427b-951d-6a5a82e129f9', '12217b1c-38b1-4381-9c24-0dce756fb605', 'sam@riverside.example', 'supervisor', 'c1a77d93-0d6a-4f90-b70e-6fbbeb135f0d', '2026-12-02 18:49:10.53739+00', '2026-12-02 18:49:10.576501+00', NULL);
INSERT INTO public.invitation VALUES ('c5ce72e1-f8d3-4aae-90bb-54c09f053c84', '12217b1c-38b1-4381-9c24-0dce756fb605', 'wren@example.org', 'worker', 'c1a77d93-0d6a-4f90-b70e-6fbbeb135f0d', '2026-12-02 18:49:10.604677+00', '2026-12-02 18:49:10.629378+00', NULL);
INSERT INTO public.invitation VALUES ('ea7386fc-a881-45d4-a1e0-f26472e6d776', '12217b1c-38b1-4381-9c24-0dce756fb605', 'cole@riverside.example', 'worker', 'c1a77d93-0d6a-4f90-b70e-6fbbeb135f0d', '2026-12-02 18:49:10.663396+00', '2026-12-02 18:49:10.688543+00', NULL);
INSERT INTO public.invitation VALUES ('55bc6c7b-244b-416d-a016-154a88ba6982', '12217b1c-38b1-4381-9c24-0dce756fb605', 'later@riverside.example', 'worker', 'c1a77d93-0d6a-4f90-b70e-6fbbeb135f0d', '2026-12-02 18:49:10.776893+00', NULL, NULL);

INSERT INTO public.issuer_key VALUES ('KBu5B7aNEjjSkD_sjBfg45BImJ_TeMz_Swe6U7tu_RM', '0q6E8TlzLTu0aNLLXoylLDhKc1o1f-RxeILT_cCtVyo', '-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIACX2Cnc8XAFHnAzoUeYNdQjOVaR9s9x9S/2TTWT1EJc
', '2026-12-02 18:49:09.830318+00', NULL, true);

INSERT INTO public.membership VALUES ('280042e8-11a9-42fe-954d-91805cf1fda4', '12217b1c-38b1-4381-9c24-0dce756fb605', 'c1a77d93-0d6a-4f90-b70e-6fbbeb135f0d', 'admin', '2026-12-02 18:49:10.50183+00', NULL);
INSERT INTO public.membership VALUES ('1db4415a-a8ec-470c-b526-a899ccdfbb1d', '12217b1c-38b1-4381-9c24-0dce756fb605', '118f000b-ff69-4d12-8d4b-ea777ae0ba1a', 'supervisor', '2026-12-02 18:49:10.577794+00', NULL);
INSERT INTO public.membership VALUES ('427eeee3-48d4-4c42-a01b-a8ed0d0ef92c', '12217b1c-38b1-4381-9c24-0dce756fb605', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', 'worker', '2026-12-02 18:49:10.629902+00', NULL);
INSERT INTO public.membership VALUES ('f4a8ee0e-a60d-4ab4-a838-d7e64eafa0c3', '12217b1c-38b1-4381-9c24-0dce756fb605', 'b292de63-163f-4ec9-bb68-205db961bbae', 'worker', '2026-12-02 18:49:10.693217+00', NULL);

INSERT INTO public.migration VALUES (1, '2026-11-22T23:03:52:774162', 'accounts', '2026-12-02 18:49:06.721603');
INSERT INTO public.migration VALUES (2, '2026-11-23T01:32:16:122259', 'signing', '2026-12-02 18:49:06.799362');
INSERT INTO public.migration VALUES (3, '2026-11-22T23:06:18:028621', 'evidence', '2026-12-02 18:49:06.938903');
INSERT INTO public.migration VALUES (4, '2026-11-22T23:10:00:000000', 'evidence', '2026-12-02 18:49:06.981121');
INSERT INTO public.migration VALUES (5, '2026-11-23T01:35:35:369293', 'exports', '2026-12-02 18:49:07.184834');
INSERT INTO public.migration VALUES (6, '2026-11-23T01:31:42:508674', 'organisations', '2026-12-02 18:49:07.405967');
INSERT INTO public.migration VALUES (7, '2026-11-23T01:40:00:000000', 'organisations', '2026-12-02 18:49:07.426291');
INSERT INTO public.migration VALUES (8, '2026-11-23T01:31:46:979391', 'notifications', '2026-12-02 18:49:07.534647');
INSERT INTO public.migration VALUES (9, '2026-11-23T01:40:02:000000', 'notifications', '2026-12-02 18:49:07.559991');
INSERT INTO public.migration VALUES (10, '2026-11-22T23:20:08:589910', 'attachments', '2026-12-02 18:49:07.674059');
INSERT INTO public.migration VALUES (11, '2026-11-22T23:25:00:000000', 'attachments', '2026-12-02 18:49:07.70152');
INSERT INTO public.migration VALUES (12, '2026-11-23T00:13:05:245899', 'competences', '2026-12-02 18:49:07.849049');
INSERT INTO public.migration VALUES (13, '2026-11-23T00:13:30:000000', 'competences', '2026-12-02 18:49:08.047844');
INSERT INTO public.migration VALUES (14, '2026-11-22T23:40:43:656126', 'requirements', '2026-12-02 18:49:08.229091');
INSERT INTO public.migration VALUES (15, '2026-11-23T01:33:34:794755', 'sharing', '2026-12-02 18:49:08.410631');
INSERT INTO public.migration VALUES (16, '2026-11-23T01:31:45:396973', 'reviews', '2026-12-02 18:49:08.550902');
INSERT INTO public.migration VALUES (17, '2026-11-23T01:40:01:000000', 'reviews', '2026-12-02 18:49:08.589224');

INSERT INTO public.notification VALUES ('d359463e-0ea2-454c-b457-bd5d51f1d755', '118f000b-ff69-4d12-8d4b-ea777ae0ba1a', 'submitted', 'eb69a149-3e14-45a6-8399-1fcd03585714', 'Wren Worker asks you to review “Safeguarding refresher”.', '2026-12-02 18:49:10.970886+00', NULL);
INSERT INTO public.notification VALUES ('7bf26b40-d6a5-4cec-b6aa-7cf476b3b0a6', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', 'commented', 'eb69a149-3e14-45a6-8399-1fcd03585714', 'Sam Supervisor: commented on “Safeguarding refresher”.', '2026-12-02 18:49:11.06624+00', NULL);
INSERT INTO public.notification VALUES ('ed376c40-b53a-4f7a-b9a6-976897463258', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', 'verified', 'eb69a149-3e14-45a6-8399-1fcd03585714', 'Sam Supervisor: verified on “Safeguarding refresher”.', '2026-12-02 18:49:11.202002+00', NULL);
INSERT INTO public.notification VALUES ('9a2846d8-d8ae-4827-95f9-cb675a05f953', '118f000b-ff69-4d12-8d4b-ea777ae0ba1a', 'submitted', '91eff7af-b553-4426-8f50-2a7285c95eee', 'Wren Worker asks you to review “Wound care study day”.', '2026-12-02 18:49:11.314185+00', NULL);
INSERT INTO public.notification VALUES ('98377dba-c87c-4a90-86d2-ffff24e5c448', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', 'commented', '91eff7af-b553-4426-8f50-2a7285c95eee', 'Sam Supervisor: commented on “Wound care study day”.', '2026-12-02 18:49:11.419575+00', NULL);
INSERT INTO public.notification VALUES ('f1602c50-2094-4d7b-b471-310c0c0073a4', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', 'changes_requested', '91eff7af-b553-4426-8f50-2a7285c95eee', 'Sam Supervisor: changes requested on “Wound care study day”.', '2026-12-02 18:49:11.545357+00', NULL);

INSERT INTO public.organisation VALUES ('12217b1c-38b1-4381-9c24-0dce756fb605', 'Riverside Care', 'employer', 'c1a77d93-0d6a-4f90-b70e-6fbbeb135f0d', '2026-12-02 18:49:10.48387+00');

INSERT INTO public.peer_discussion VALUES ('b475dced-253d-4ba1-8087-2c3c14dd2534', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', 'Pat Peer', '', '', '', '', '', '2026-12-02 18:49:10.282492+00');

INSERT INTO public.registration VALUES ('d9342f87-3106-4932-aea3-d94511d38995', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', 'nmc', '12A3456E', 'nurse', '2024-01-01', '2027-01-01', '', '', '2026-12-02 18:49:10.225085+00', '2026-12-02 18:49:10.225085+00');

INSERT INTO public.review VALUES ('eb69a149-3e14-45a6-8399-1fcd03585714', 'b475dced-253d-4ba1-8087-2c3c14dd2534', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', '118f000b-ff69-4d12-8d4b-ea777ae0ba1a', '12217b1c-38b1-4381-9c24-0dce756fb605', 'verified', 'Safeguarding refresher', '2026-12-02 18:49:10.91903+00', '2026-12-02 18:49:11.189007+00');
INSERT INTO public.review VALUES ('91eff7af-b553-4426-8f50-2a7285c95eee', 'f44a9111-699c-42b1-bb4a-a4acbadd55e0', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', '118f000b-ff69-4d12-8d4b-ea777ae0ba1a', '12217b1c-38b1-4381-9c24-0dce756fb605', 'changes_requested', 'Wound care study day', '2026-12-02 18:49:11.308794+00', '2026-12-02 18:49:11.536542+00');

INSERT INTO public.review_event VALUES ('59992a30-5c3b-4c4a-ae4b-6cb71d106686', 'eb69a149-3e14-45a6-8399-1fcd03585714', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', 'Wren Worker', 'submitted', '', '2026-12-02 18:49:10.962213+00');
INSERT INTO public.review_event VALUES ('5810d249-4c10-4b1e-852e-443e28ab44c7', 'eb69a149-3e14-45a6-8399-1fcd03585714', '118f000b-ff69-4d12-8d4b-ea777ae0ba1a', 'Sam Supervisor', 'commented', 'Good reflection.', '2026-12-02 18:49:11.064832+00');
INSERT INTO public.review_event VALUES ('c0dae965-c615-499a-9a88-2ea597243190', 'eb69a149-3e14-45a6-8399-1fcd03585714', '118f000b-ff69-4d12-8d4b-ea777ae0ba1a', 'Sam Supervisor', 'verified', 'I observed this learning.', '2026-12-02 18:49:11.200723+00');
INSERT INTO public.review_event VALUES ('e0cec2f7-d486-4a7e-ac63-02a5f09a8a73', '91eff7af-b553-4426-8f50-2a7285c95eee', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', 'Wren Worker', 'submitted', '', '2026-12-02 18:49:11.312389+00');
INSERT INTO public.review_event VALUES ('444f1d51-97fc-4016-9285-a993b5218a10', '91eff7af-b553-4426-8f50-2a7285c95eee', '118f000b-ff69-4d12-8d4b-ea777ae0ba1a', 'Sam Supervisor', 'commented', 'Good reflection.', '2026-12-02 18:49:11.415008+00');
INSERT INTO public.review_event VALUES ('a8324aba-f649-45b5-8768-1c6d11153b58', '91eff7af-b553-4426-8f50-2a7285c95eee', '118f000b-ff69-4d12-8d4b-ea777ae0ba1a', 'Sam Supervisor', 'changes_requested', 'Add the date of the course.', '2026-12-02 18:49:11.540754+00');

INSERT INTO public.shared_entry VALUES (1, '5085ee69-fa55-4d17-80ac-702476cf8398', 'b475dced-253d-4ba1-8087-2c3c14dd2534');
INSERT INTO public.shared_entry VALUES (2, '5085ee69-fa55-4d17-80ac-702476cf8398', 'f44a9111-699c-42b1-bb4a-a4acbadd55e0');

INSERT INTO public.supervision_link VALUES ('91cd1c45-4522-4a8a-9ccd-96c5850a0b89', '12217b1c-38b1-4381-9c24-0dce756fb605', '118f000b-ff69-4d12-8d4b-ea777ae0ba1a', 'e86a7932-6eb2-4e13-bc10-d93b0ab851df', '2026-12-02 18:49:10.736814+00', NULL);

INSERT INTO public.verification VALUES ('0dd63981-87bc-4d3e-ab7a-1d6aeeddb3bf', 'eb69a149-3e14-45a6-8399-1fcd03585714', 'b475dced-253d-4ba1-8087-2c3c14dd2534', '118f000b-ff69-4d12-8d4b-ea777ae0ba1a', 'Sam Supervisor', 'Ward manager', '98B7654C', '12217b1c-38b1-4381-9c24-0dce756fb605', 'Riverside Care', 'I observed this learning.', '2026-12-02 18:49:11.186453+00', 'c55d8d03a6f975cf9664499db87903fa544b5b774bc98b51d790a44effb73364', '{"entry": "0c2cc1b53d77804e5055d2ae04141ee3a534c246a5616e243e1b659ee6206ea1", "attachments": []}');

SELECT pg_catalog.setval('public.attachment_link_id_seq', 1, true);

SELECT pg_catalog.setval('public.export_access_id_seq', 1, false);

SELECT pg_catalog.setval('public.idempotency_record_id_seq', 1, false);

SELECT pg_catalog.setval('public.login_failure_id_seq', 1, false);

SELECT pg_catalog.setval('public.migration_id_seq', 17, true);

SELECT pg_catalog.setval('public.shared_entry_id_seq', 2, true);

SELECT pg_catalog.setval('public.storage_garbage_id_seq', 1, false);

ALTER TABLE ONLY public.account
    ADD CONSTRAINT account_email_key UNIQUE (email);

ALTER TABLE ONLY public.account
    ADD CONSTRAINT account_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.attachment_link
    ADD CONSTRAINT attachment_link_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.attachment
    ADD CONSTRAINT attachment_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.auth_session
    ADD CONSTRAINT auth_session_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.auth_session
    ADD CONSTRAINT auth_session_token_hash_key UNIQUE (token_hash);

ALTER TABLE ONLY public.competence_association
    ADD CONSTRAINT competence_association_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.competence_framework
    ADD CONSTRAINT competence_framework_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.competence_item
    ADD CONSTRAINT competence_item_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.competence_link
    ADD CONSTRAINT competence_link_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.evidence_change_counter
    ADD CONSTRAINT evidence_change_counter_pkey PRIMARY KEY (owner);

ALTER TABLE ONLY public.evidence_entry
    ADD CONSTRAINT evidence_entry_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.evidence_share
    ADD CONSTRAINT evidence_share_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.export_access
    ADD CONSTRAINT export_access_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.export
    ADD CONSTRAINT export_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.export_share
    ADD CONSTRAINT export_share_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.export_share
    ADD CONSTRAINT export_share_token_hash_key UNIQUE (token_hash);

ALTER TABLE ONLY public.gap_explanation
    ADD CONSTRAINT gap_explanation_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.idempotency_record
    ADD CONSTRAINT idempotency_record_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.invitation
    ADD CONSTRAINT invitation_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.issuer_key
    ADD CONSTRAINT issuer_key_current_key UNIQUE (current);

ALTER TABLE ONLY public.issuer_key
    ADD CONSTRAINT issuer_key_pkey PRIMARY KEY (kid);

ALTER TABLE ONLY public.login_failure
    ADD CONSTRAINT login_failure_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.membership
    ADD CONSTRAINT membership_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.migration
    ADD CONSTRAINT migration_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.notification
    ADD CONSTRAINT notification_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.organisation
    ADD CONSTRAINT organisation_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.peer_discussion
    ADD CONSTRAINT peer_discussion_pkey PRIMARY KEY (entry);

ALTER TABLE ONLY public.registration
    ADD CONSTRAINT registration_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.review_event
    ADD CONSTRAINT review_event_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.review
    ADD CONSTRAINT review_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.shared_entry
    ADD CONSTRAINT shared_entry_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.storage_garbage
    ADD CONSTRAINT storage_garbage_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.supervision_link
    ADD CONSTRAINT supervision_link_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.upload_slot
    ADD CONSTRAINT upload_slot_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.verification
    ADD CONSTRAINT verification_pkey PRIMARY KEY (id);

CREATE UNIQUE INDEX attachment_link_attachment_entry ON public.attachment_link USING btree (attachment, entry);

CREATE INDEX attachment_link_entry ON public.attachment_link USING btree (entry);

CREATE INDEX attachment_owner ON public.attachment USING btree (owner);

CREATE UNIQUE INDEX attachment_owner_sha256 ON public.attachment USING btree (owner, sha256);

CREATE INDEX auth_session_account ON public.auth_session USING btree (account);

CREATE INDEX competence_association_destination_framework ON public.competence_association USING btree (destination_framework, association_type);

CREATE INDEX competence_association_framework ON public.competence_association USING btree (framework);

CREATE INDEX competence_association_origin_framework ON public.competence_association USING btree (origin_framework, association_type);

CREATE INDEX competence_association_unresolved ON public.competence_association USING btree (destination_identifier) WHERE (destination IS NULL);

CREATE UNIQUE INDEX competence_framework_identifier_edition ON public.competence_framework USING btree (identifier, edition);

CREATE UNIQUE INDEX competence_item_framework_identifier ON public.competence_item USING btree (framework, identifier);

CREATE INDEX competence_item_framework_position ON public.competence_item USING btree (framework, "position");

CREATE INDEX competence_item_identifier ON public.competence_item USING btree (identifier);

CREATE UNIQUE INDEX competence_link_entry_item ON public.competence_link USING btree (entry, item);

CREATE INDEX competence_link_owner_framework ON public.competence_link USING btree (owner, framework);

CREATE INDEX competence_link_owner_item ON public.competence_link USING btree (owner, item);

CREATE UNIQUE INDEX evidence_entry_owner_change_seq ON public.evidence_entry USING btree (owner, change_seq);

CREATE INDEX evidence_entry_owner_occurred ON public.evidence_entry USING btree (owner, occurred_on, id);

CREATE INDEX evidence_share_organisation ON public.evidence_share USING btree (organisation);

CREATE INDEX evidence_share_owner ON public.evidence_share USING btree (owner);

CREATE INDEX evidence_share_supervisor ON public.evidence_share USING btree (supervisor);

CREATE INDEX export_access_share ON public.export_access USING btree (share);

CREATE INDEX export_owner ON public.export USING btree (owner);

CREATE INDEX export_selection_key ON public.export USING btree (selection_key);

CREATE INDEX export_share_export ON public.export_share USING btree (export);

CREATE INDEX export_status ON public.export USING btree (status);

CREATE INDEX gap_explanation_owner ON public.gap_explanation USING btree (owner);

CREATE INDEX gap_explanation_registration ON public.gap_explanation USING btree (registration);

CREATE UNIQUE INDEX idempotency_record_owner_key ON public.idempotency_record USING btree (owner, key);

CREATE INDEX invitation_email ON public.invitation USING btree (email);

CREATE INDEX invitation_organisation ON public.invitation USING btree (organisation);

CREATE INDEX login_failure_failed_at ON public.login_failure USING btree (failed_at);

CREATE INDEX login_failure_subject ON public.login_failure USING btree (subject);

CREATE INDEX membership_account ON public.membership USING btree (account);

CREATE INDEX membership_account_organisation ON public.membership USING btree (account, organisation);

CREATE INDEX membership_organisation ON public.membership USING btree (organisation);

CREATE INDEX notification_recipient ON public.notification USING btree (recipient);

CREATE INDEX notification_recipient_created ON public.notification USING btree (recipient, created_at);

CREATE INDEX peer_discussion_owner ON public.peer_discussion USING btree (owner);

CREATE INDEX registration_owner ON public.registration USING btree (owner);

CREATE INDEX review_entry ON public.review USING btree (entry);

CREATE INDEX review_event_review ON public.review_event USING btree (review);

CREATE INDEX review_owner ON public.review USING btree (owner);

CREATE INDEX review_owner_submitted ON public.review USING btree (owner, submitted_at, id);

CREATE INDEX review_reviewer ON public.review USING btree (reviewer);

CREATE INDEX review_reviewer_queue ON public.review USING btree (reviewer, state, submitted_at, id);

CREATE INDEX shared_entry_entry ON public.shared_entry USING btree (entry);

CREATE INDEX shared_entry_share ON public.shared_entry USING btree (share);

CREATE INDEX supervision_link_organisation ON public.supervision_link USING btree (organisation);

CREATE INDEX supervision_link_supervisor ON public.supervision_link USING btree (supervisor);

CREATE INDEX supervision_link_supervisor_worker ON public.supervision_link USING btree (supervisor, worker);

CREATE INDEX supervision_link_worker ON public.supervision_link USING btree (worker);

CREATE INDEX upload_slot_expires_at ON public.upload_slot USING btree (expires_at);

CREATE INDEX upload_slot_owner ON public.upload_slot USING btree (owner);

CREATE INDEX verification_entry ON public.verification USING btree (entry);

CREATE INDEX verification_review ON public.verification USING btree (review);

ALTER TABLE ONLY public.attachment_link
    ADD CONSTRAINT attachment_link_attachment_fkey FOREIGN KEY (attachment) REFERENCES public.attachment(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.attachment_link
    ADD CONSTRAINT attachment_link_entry_fkey FOREIGN KEY (entry) REFERENCES public.evidence_entry(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.attachment
    ADD CONSTRAINT attachment_owner_fkey FOREIGN KEY (owner) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.auth_session
    ADD CONSTRAINT auth_session_account_fkey FOREIGN KEY (account) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.competence_association
    ADD CONSTRAINT competence_association_destination_fkey FOREIGN KEY (destination) REFERENCES public.competence_item(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.competence_association
    ADD CONSTRAINT competence_association_framework_fkey FOREIGN KEY (framework) REFERENCES public.competence_framework(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.competence_association
    ADD CONSTRAINT competence_association_origin_fkey FOREIGN KEY (origin) REFERENCES public.competence_item(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.competence_item
    ADD CONSTRAINT competence_item_framework_fkey FOREIGN KEY (framework) REFERENCES public.competence_framework(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.competence_item
    ADD CONSTRAINT competence_item_parent_fkey FOREIGN KEY (parent) REFERENCES public.competence_item(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.competence_link
    ADD CONSTRAINT competence_link_entry_fkey FOREIGN KEY (entry) REFERENCES public.evidence_entry(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.competence_link
    ADD CONSTRAINT competence_link_framework_fkey FOREIGN KEY (framework) REFERENCES public.competence_framework(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.competence_link
    ADD CONSTRAINT competence_link_item_fkey FOREIGN KEY (item) REFERENCES public.competence_item(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.competence_link
    ADD CONSTRAINT competence_link_owner_fkey FOREIGN KEY (owner) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.evidence_change_counter
    ADD CONSTRAINT evidence_change_counter_owner_fkey FOREIGN KEY (owner) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.evidence_entry
    ADD CONSTRAINT evidence_entry_owner_fkey FOREIGN KEY (owner) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.evidence_share
    ADD CONSTRAINT evidence_share_organisation_fkey FOREIGN KEY (organisation) REFERENCES public.organisation(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.evidence_share
    ADD CONSTRAINT evidence_share_owner_fkey FOREIGN KEY (owner) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.evidence_share
    ADD CONSTRAINT evidence_share_supervisor_fkey FOREIGN KEY (supervisor) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.export_access
    ADD CONSTRAINT export_access_share_fkey FOREIGN KEY (share) REFERENCES public.export_share(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.export
    ADD CONSTRAINT export_owner_fkey FOREIGN KEY (owner) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.export_share
    ADD CONSTRAINT export_share_export_fkey FOREIGN KEY (export) REFERENCES public.export(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.gap_explanation
    ADD CONSTRAINT gap_explanation_owner_fkey FOREIGN KEY (owner) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.gap_explanation
    ADD CONSTRAINT gap_explanation_registration_fkey FOREIGN KEY (registration) REFERENCES public.registration(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.idempotency_record
    ADD CONSTRAINT idempotency_record_owner_fkey FOREIGN KEY (owner) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.invitation
    ADD CONSTRAINT invitation_invited_by_fkey FOREIGN KEY (invited_by) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE SET NULL;

ALTER TABLE ONLY public.invitation
    ADD CONSTRAINT invitation_organisation_fkey FOREIGN KEY (organisation) REFERENCES public.organisation(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.membership
    ADD CONSTRAINT membership_account_fkey FOREIGN KEY (account) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.membership
    ADD CONSTRAINT membership_organisation_fkey FOREIGN KEY (organisation) REFERENCES public.organisation(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.notification
    ADD CONSTRAINT notification_recipient_fkey FOREIGN KEY (recipient) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.organisation
    ADD CONSTRAINT organisation_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE SET NULL;

ALTER TABLE ONLY public.peer_discussion
    ADD CONSTRAINT peer_discussion_entry_fkey FOREIGN KEY (entry) REFERENCES public.evidence_entry(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.peer_discussion
    ADD CONSTRAINT peer_discussion_owner_fkey FOREIGN KEY (owner) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.registration
    ADD CONSTRAINT registration_owner_fkey FOREIGN KEY (owner) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.review
    ADD CONSTRAINT review_entry_fkey FOREIGN KEY (entry) REFERENCES public.evidence_entry(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.review_event
    ADD CONSTRAINT review_event_actor_fkey FOREIGN KEY (actor) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE SET NULL;

ALTER TABLE ONLY public.review_event
    ADD CONSTRAINT review_event_review_fkey FOREIGN KEY (review) REFERENCES public.review(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.review
    ADD CONSTRAINT review_organisation_fkey FOREIGN KEY (organisation) REFERENCES public.organisation(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.review
    ADD CONSTRAINT review_owner_fkey FOREIGN KEY (owner) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.review
    ADD CONSTRAINT review_reviewer_fkey FOREIGN KEY (reviewer) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.shared_entry
    ADD CONSTRAINT shared_entry_entry_fkey FOREIGN KEY (entry) REFERENCES public.evidence_entry(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.shared_entry
    ADD CONSTRAINT shared_entry_share_fkey FOREIGN KEY (share) REFERENCES public.evidence_share(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.supervision_link
    ADD CONSTRAINT supervision_link_organisation_fkey FOREIGN KEY (organisation) REFERENCES public.organisation(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.supervision_link
    ADD CONSTRAINT supervision_link_supervisor_fkey FOREIGN KEY (supervisor) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.supervision_link
    ADD CONSTRAINT supervision_link_worker_fkey FOREIGN KEY (worker) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.upload_slot
    ADD CONSTRAINT upload_slot_attachment_fkey FOREIGN KEY (attachment) REFERENCES public.attachment(id) ON UPDATE CASCADE ON DELETE SET NULL;

ALTER TABLE ONLY public.upload_slot
    ADD CONSTRAINT upload_slot_entry_fkey FOREIGN KEY (entry) REFERENCES public.evidence_entry(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.upload_slot
    ADD CONSTRAINT upload_slot_owner_fkey FOREIGN KEY (owner) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.verification
    ADD CONSTRAINT verification_entry_fkey FOREIGN KEY (entry) REFERENCES public.evidence_entry(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.verification
    ADD CONSTRAINT verification_organisation_fkey FOREIGN KEY (organisation) REFERENCES public.organisation(id) ON UPDATE CASCADE ON DELETE SET NULL;

ALTER TABLE ONLY public.verification
    ADD CONSTRAINT verification_review_fkey FOREIGN KEY (review) REFERENCES public.review(id) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE ONLY public.verification
    ADD CONSTRAINT verification_verifier_fkey FOREIGN KEY (verifier) REFERENCES public.account(id) ON UPDATE CASCADE ON DELETE SET NULL;
