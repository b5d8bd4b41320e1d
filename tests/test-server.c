/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real annolab-queue on 127.0.0.1, driven with libcurl. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <sys/resource.h>

#include "server-harness.h"
#include "test-db.h"

/* AL_SERVER_MAX_DEPTH, as docs/api.md promises it. */
#define AL_TEST_MAX_DEPTH 32

typedef struct
{
  Server s;
  char *ann, *bob, *kim, *lea;   /* participants ann, bob (group a); coach kim (a), lea (b) */
} Lab;

static void
lab_set_up (Lab          *lab,
            gconstpointer data)
{
  g_autofree char *dir = g_dir_make_tmp ("annolab-server-XXXXXX", NULL);
  const char *img = "coins.png";
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *db = NULL;

  for (int i = 0; i < 6; i++)
    g_string_append_printf (text, "{\"id\":\"t%d\",\"kind\":\"bbox\",\"image\":\"%s\","
                                  "\"labels\":[\"coin\"]%s}\n", i, img,
                            i == 0 ? ",\"overlap\":2" : "");
  g_string_append_printf (text, "{\"id\":\"g0\",\"kind\":\"bbox\",\"image\":\"%s\",\"labels\":"
                                "[\"coin\"],\"gold\":{\"boxes\":[{\"label\":\"coin\",\"x\":10,"
                                "\"y\":10,\"w\":50,\"h\":50}]}}\n", img);
  harness_copy_demo (dir, "images/coins.png", "coins.png");
  harness_copy_demo (dir, "audio/cards-001.wav", "a.wav");
  db = harness_import (dir, text->str);
  lab->ann = harness_add_user (db, "ann", "participant", "a");
  lab->bob = harness_add_user (db, "bob", "participant", "a");
  lab->kim = harness_add_user (db, "kim", "coach", "a");
  lab->lea = harness_add_user (db, "lea", "coach", "b");
  server_start (&lab->s, dir);
}

static void
lab_tear_down (Lab          *lab,
               gconstpointer data)
{
  server_cleanup (&lab->s);
  g_free (lab->ann);
  g_free (lab->bob);
  g_free (lab->kim);
  g_free (lab->lea);
}

/* @pattern with each "%s" replaced by @lease_id. */
static char *
with_lease (const char *pattern,
            const char *lease_id)
{
  GString *s = g_string_new (pattern);

  g_string_replace (s, "%s", lease_id, 0);
  return g_string_free (s, FALSE);
}

static char *
lease (Lab        *lab,
       const char *token,
       char      **task_id)
{
  g_autoptr (Reply) r = http (&lab->s, "POST", "/api/v1/lease", token, NULL, NULL);
  g_assert_cmpint (r->status, ==, 200);
  if (task_id)
    *task_id = g_strdup (json_string_value (json_object_get (json_object_get (r->json, "task"),
                                                             "id")));
  return g_strdup (json_string_value (json_object_get (json_object_get (r->json, "lease"), "id")));
}

static Reply *
submit (Lab        *lab,
        const char *token,
        const char *lease_id,
        const char *key)
{
  g_autofree char *body = g_strdup_printf (
    "{\"lease_id\":\"%s\",\"idempotency_key\":\"%s\",\"lead_time_ms\":1200,\"result\":{\"boxes\":"
    "[{\"label\":\"coin\",\"x\":10,\"y\":10,\"w\":50,\"h\":50}]}}", lease_id, key);
  return http (&lab->s, "POST", "/api/v1/results", token, body, NULL);
}

static void
test_cycle_overlap_idempotency (Lab          *lab,
                                gconstpointer data)
{
  g_autofree char *task = NULL, *task_b = NULL;
  g_autofree char *l1 = lease (lab, lab->ann, &task);
  g_autofree char *l2 = NULL;
  g_autoptr (Reply) r1 = NULL;
  g_autoptr (Reply) r2 = NULL;
  g_autoptr (Reply) lease_reply = NULL;
  json_t *t;

  g_assert_cmpstr (task, ==, "t0");
  r1 = submit (lab, lab->ann, l1, "key-1");
  g_assert_cmpint (r1->status, ==, 200);
  r2 = submit (lab, lab->ann, l1, "key-1");
  g_assert_cmpint (r2->status, ==, 200);
  g_assert_true (json_equal (r1->json, r2->json));

  /* t0 has overlap 2: bob gets it too; nobody gets it a third time. */
  l2 = lease (lab, lab->bob, &task_b);
  g_assert_cmpstr (task_b, ==, "t0");

  /* The task a participant sees has no gold and no server path. */
  lease_reply = http (&lab->s, "POST", "/api/v1/lease", lab->ann, NULL, NULL);
  t = json_object_get (lease_reply->json, "task");
  g_assert_null (json_object_get (t, "gold"));
  g_assert_true (g_str_has_prefix (json_string_value (json_object_get (t, "image")),
                                   "/api/v1/media/"));
}

static void
test_roles (Lab          *lab,
            gconstpointer data)
{
  static const char *const coach_only[][2] = {
    { "GET", "/api/v1/participants" }, { "GET", "/api/v1/participants/1" },
    { "GET", "/api/v1/participants/1/history" }, { "GET", "/api/v1/participants/1/record" },
    { "POST", "/api/v1/participants/1/end-break" }, { "POST", "/api/v1/participants/1/help/ack" },
    { "DELETE", "/api/v1/participants/1" }, { "GET", "/api/v1/stream" },
  };
  static const char *const participant_only[][2] = {
    { "POST", "/api/v1/lease" }, { "POST", "/api/v1/results" }, { "POST", "/api/v1/events" },
    { "POST", "/api/v1/leases/x/heartbeat" }, { "GET", "/api/v1/me/record" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (coach_only); i++)
    {
      g_autoptr (Reply) p = http (&lab->s, coach_only[i][0], coach_only[i][1], lab->ann, NULL, NULL);
      g_autoptr (Reply) none = http (&lab->s, coach_only[i][0], coach_only[i][1], NULL, NULL, NULL);
      g_autoptr (Reply) bad = http (&lab->s, coach_only[i][0], coach_only[i][1], "1.abc", NULL, NULL);
      g_assert_cmpint (p->status, ==, 403);
      g_assert_cmpint (none->status, ==, 401);
      g_assert_cmpint (bad->status, ==, 401);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (participant_only); i++)
    {
      g_autoptr (Reply) c = http (&lab->s, participant_only[i][0], participant_only[i][1], lab->kim,
                                  "{}", NULL);
      g_assert_cmpint (c->status, ==, 403);
    }

  /* Coaches see their own group only; another group's participant is 404. */
  {
    g_autoptr (Reply) kim = http (&lab->s, "GET", "/api/v1/participants", lab->kim, NULL, NULL);
    g_autoptr (Reply) lea = http (&lab->s, "GET", "/api/v1/participants", lab->lea, NULL, NULL);
    g_autoptr (Reply) lea_ann = http (&lab->s, "GET", "/api/v1/participants/1", lab->lea, NULL, NULL);
    g_autoptr (Reply) lea_del = http (&lab->s, "DELETE", "/api/v1/participants/1", lab->lea, NULL,
                                      NULL);
    g_assert_cmpint (json_array_size (json_object_get (kim->json, "participants")), ==, 2);
    g_assert_cmpint (json_array_size (json_object_get (lea->json, "participants")), ==, 0);
    g_assert_cmpint (lea_ann->status, ==, 404);
    g_assert_cmpint (lea_del->status, ==, 404);
  }

  /* Nobody submits on someone else's lease. */
  {
    g_autofree char *l = lease (lab, lab->ann, NULL);
    g_autoptr (Reply) r = submit (lab, lab->bob, l, "steal");
    g_assert_cmpint (r->status, ==, 403);
  }
}

static void
test_bad_bodies (Lab          *lab,
                 gconstpointer data)
{
  g_autoptr (GString) big = g_string_new ("{\"x\":\"");
  g_autoptr (GString) deep = g_string_new (NULL);
  const char *const text_plain[] = { "Content-Type: text/plain", NULL };
  struct
  {
    const char *body;
    long status;
  } cases[] = {
    { "{not json", 400 },
    { "[1,2,3]", 400 },
    { "{\"lease_id\":3}", 400 },
    { "{\"type\":\"dance\"}", 400 },
    { "", 400 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (Reply) r = http (&lab->s, "POST", i == 3 ? "/api/v1/events" : "/api/v1/results",
                                  lab->ann, cases[i].body, NULL);
      g_assert_cmpint (r->status, ==, cases[i].status);
      g_assert_nonnull (json_object_get (json_object_get (r->json, "error"), "message"));
    }
  while (big->len < 2 * 1024 * 1024)
    g_string_append (big, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  g_string_append (big, "\"}");
  {
    g_autoptr (Reply) r = http (&lab->s, "POST", "/api/v1/results", lab->ann, big->str, NULL);
    g_assert_cmpint (r->status, ==, 413);
  }
  for (int i = 0; i < 100; i++)
    g_string_append (deep, "[");
  {
    g_autoptr (Reply) r = http (&lab->s, "POST", "/api/v1/events", lab->ann, deep->str, NULL);
    g_assert_cmpint (r->status, ==, 400);
    g_assert_cmpstr (json_string_value (json_object_get (json_object_get (r->json, "error"), "code")),
                     ==, "too_deep");
  }
  {
    g_autoptr (Reply) r = http (&lab->s, "POST", "/api/v1/events", lab->ann, NULL, text_plain);
    g_assert_cmpint (r->status, ==, 415);
  }
  /* The server is still there after all of that. */
  {
    g_autofree char *l = lease (lab, lab->ann, NULL);
    g_assert_nonnull (l);
  }
}

static void
test_media (Lab          *lab,
            gconstpointer data)
{
  g_autoptr (Reply) lr = http (&lab->s, "POST", "/api/v1/lease", lab->ann, NULL, NULL);
  const char *url = json_string_value (json_object_get (json_object_get (lr->json, "task"),
                                                        "media_url"));
  const char *range[] = { "Range: bytes=0-99", NULL };
  const char *bad_range[] = { "Range: bytes=999999-", NULL };
  g_autoptr (Reply) full = http (&lab->s, "GET", url, lab->ann, NULL, NULL);
  g_autoptr (Reply) part = http (&lab->s, "GET", url, lab->ann, NULL, range);
  g_autoptr (Reply) none = http (&lab->s, "GET", url, lab->ann, NULL, bad_range);
  g_autofree char *inm = g_strdup_printf ("If-None-Match: %s", full->etag);
  const char *cond[] = { inm, NULL };
  g_autoptr (Reply) same = http (&lab->s, "GET", url, lab->ann, NULL, cond);
  g_autoptr (Reply) other = http (&lab->s, "GET", url, lab->bob, NULL, NULL);
  static const char *const traversal[] = {
    "/api/v1/media/../../../etc/passwd", "/api/v1/media/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/api/v1/media/0", "/api/v1/media/-1", "/api/v1/media/99999", "/api/v1/media/1%00",
    "/api/v1/media//etc/passwd",
  };

  g_assert_cmpint (full->status, ==, 200);
  g_assert_true (g_str_has_prefix (full->body, "\x89PNG"));
  g_assert_nonnull (full->etag);
  g_assert_cmpint (part->status, ==, 206);
  g_assert_true (g_str_has_prefix (part->content_range, "bytes 0-99/"));
  g_assert_cmpint (none->status, ==, 416);
  g_assert_cmpint (same->status, ==, 304);
  g_assert_cmpint (other->status, ==, 403);
  for (gsize i = 0; i < G_N_ELEMENTS (traversal); i++)
    {
      g_autoptr (Reply) r = http (&lab->s, "GET", traversal[i], lab->ann, NULL, NULL);
      g_assert_true (r->status == 400 || r->status == 404);
      g_assert_null (strstr (r->body, "root:"));
    }
}

static void
test_events_and_coach (Lab          *lab,
                       gconstpointer data)
{
  g_autoptr (Reply) e1 = http (&lab->s, "POST", "/api/v1/events", lab->ann,
                               "{\"type\":\"block_start\",\"block\":1,\"blocks\":4,"
                               "\"ms_left\":2700000}", NULL);
  g_autoptr (Reply) list = NULL;
  g_autoptr (Reply) help = NULL;
  g_autoptr (Reply) ack = NULL;
  g_autoptr (Reply) beat = NULL;
  g_autoptr (Reply) settings = NULL;
  g_autoptr (Reply) me = NULL;
  json_t *ann;

  g_assert_cmpint (e1->status, ==, 200);
  list = http (&lab->s, "GET", "/api/v1/participants", lab->kim, NULL, NULL);
  ann = json_array_get (json_object_get (list->json, "participants"), 0);
  g_assert_cmpstr (json_string_value (json_object_get (ann, "name")), ==, "ann");
  g_assert_cmpstr (json_string_value (json_object_get (ann, "state")), ==, "working");
  g_assert_cmpint (json_integer_value (json_object_get (ann, "blocks")), ==, 4);

  help = http (&lab->s, "POST", "/api/v1/events", lab->ann, "{\"type\":\"help\"}", NULL);
  g_clear_pointer (&list, reply_free);
  list = http (&lab->s, "GET", "/api/v1/participants/1", lab->kim, NULL, NULL);
  g_assert_cmpstr (json_string_value (json_object_get (list->json, "state")), ==, "help");

  ack = http (&lab->s, "POST", "/api/v1/participants/1/help/ack", lab->kim, NULL, NULL);
  g_assert_cmpint (ack->status, ==, 204);
  settings = http (&lab->s, "PUT", "/api/v1/participants/1/settings", lab->kim,
                   "{\"plan\":{\"work_minutes\":30,\"break_minutes\":10,\"blocks\":3},"
                   "\"voice\":true,\"verbosity\":\"experienced\",\"kinds\":[\"transcribe\"]}",
                   NULL);
  g_assert_cmpint (settings->status, ==, 200);
  /* The workstation hears both at its next heartbeat. */
  beat = http (&lab->s, "POST", "/api/v1/events", lab->ann, "{\"type\":\"heartbeat\"}", NULL);
  g_assert_cmpint (json_array_size (json_object_get (beat->json, "notices")), ==, 2);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (json_object_get (beat->json,
                                                                                       "notices"), 0),
                                                       "type")), ==, "help_ack");
  me = http (&lab->s, "GET", "/api/v1/me", lab->ann, NULL, NULL);
  g_assert_true (json_is_true (json_object_get (json_object_get (me->json, "settings"), "voice")));
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (me->json, "settings"),
                                                       "verbosity")), ==, "experienced");

  {
    g_autoptr (Reply) bad = http (&lab->s, "PUT", "/api/v1/participants/1/settings", lab->kim,
                                  "{\"plan\":{\"work_minutes\":0}}", NULL);
    g_assert_cmpint (bad->status, ==, 400);
  }
  {
    g_autoptr (Reply) bad = http (&lab->s, "PUT", "/api/v1/participants/1/settings", lab->kim,
                                  "{\"verbosity\":\"expert\"}", NULL);
    g_assert_cmpint (bad->status, ==, 400);
  }
}

static void
test_lease_expiry (Lab          *lab,
                   gconstpointer data)
{
  g_autofree char *t1 = NULL, *t2 = NULL;
  g_autofree char *l1 = NULL, *l2 = NULL;
  g_autoptr (Reply) late = NULL;

  server_kill (&lab->s, SIGTERM);
  g_free (harness_run (lab->s.db, "set", "lease_seconds", "1", NULL));
  server_start (&lab->s, lab->s.dir);
  l1 = lease (lab, lab->ann, &t1);
  g_usleep (1200 * 1000);
  l2 = lease (lab, lab->bob, &t2);
  /* t0 allows two people anyway; t1 is the one that must come back. */
  g_assert_cmpstr (t1, ==, "t0");
  g_free (l2);
  g_free (t2);
  l2 = lease (lab, lab->bob, &t2);
  g_assert_cmpstr (t2, ==, "t0");
  late = submit (lab, lab->ann, l1, "late");
  g_assert_cmpint (late->status, ==, 200);
  g_assert_true (json_is_true (json_object_get (late->json, "late")));
}

static const char *
error_code (Reply *r)
{
  return json_string_value (json_object_get (json_object_get (r->json, "error"), "code"));
}

static Reply *
submit_box (Lab        *lab,
            const char *token,
            const char *lease_id,
            const char *key,
            const char *x)
{
  g_autofree char *body = g_strdup_printf (
    "{\"lease_id\":\"%s\",\"idempotency_key\":\"%s\",\"result\":{\"boxes\":"
    "[{\"label\":\"coin\",\"x\":%s,\"y\":10,\"w\":50,\"h\":50}]}}", lease_id, key, x);
  return http (&lab->s, "POST", "/api/v1/results", token, body, NULL);
}

static char *
lease_past (Lab        *lab,
            const char *token,
            const char *body,
            long        expect)
{
  g_autoptr (Reply) r = http (&lab->s, "POST", "/api/v1/lease", token, body, NULL);
  g_assert_cmpint (r->status, ==, expect);
  if (expect != 200)
    {
      g_assert_cmpstr (error_code (r), ==, "too_many_leases");
      return NULL;
    }
  return g_strdup (json_string_value (json_object_get (json_object_get (r->json, "lease"), "id")));
}

/* Every refusal has its own code, and the coach sees them all. */
static void
test_refusals (Lab          *lab,
               gconstpointer data)
{
  g_autofree char *l1 = lease (lab, lab->ann, NULL);
  g_autofree char *l2 = NULL, *l3 = NULL, *l4 = NULL, *body = NULL;
  g_autoptr (Reply) ok = submit (lab, lab->ann, l1, "key-1");
  g_autoptr (Reply) broken = NULL;
  g_autoptr (Reply) reused = NULL;
  g_autoptr (Reply) far = NULL;
  g_autoptr (Reply) huge = NULL;
  g_autoptr (Reply) history = NULL;
  g_autoptr (Reply) people = NULL;
  json_t *refusals;

  g_assert_cmpint (ok->status, ==, 200);
  body = g_strdup_printf ("/api/v1/leases/%s/broken", l1);
  broken = http (&lab->s, "POST", body, lab->ann, "{\"reason\":\"x\"}", NULL);
  g_clear_pointer (&body, g_free);
  g_assert_cmpint (broken->status, ==, 409);
  g_assert_cmpstr (error_code (broken), ==, "already_submitted");
  reused = submit_box (lab, lab->ann, l1, "key-1", "20");
  g_assert_cmpint (reused->status, ==, 409);
  g_assert_cmpstr (error_code (reused), ==, "idempotency_key_reused");

  l2 = lease (lab, lab->ann, NULL);
  far = submit_box (lab, lab->ann, l2, "key-2", "-1e6");
  g_assert_cmpint (far->status, ==, 400);
  g_assert_cmpstr (error_code (far), ==, "invalid_result");
  g_assert_nonnull (strstr (json_string_value (json_object_get (json_object_get (far->json,
                                                                                 "error"),
                                                                "message")), "box 1"));
  body = g_strdup_printf ("{\"lease_id\":\"%s\",\"idempotency_key\":\"key-3\",\"result\":"
                          "{\"boxes\":[{\"label\":\"coin\",\"x\":1,\"y\":1,"
                          "\"w\":1.7e308,\"h\":5}]}}", l2);
  huge = http (&lab->s, "POST", "/api/v1/results", lab->ann, body, NULL);
  g_assert_cmpint (huge->status, ==, 400);
  g_free (body);

  /* Three tasks held at once, not a fourth. */
  body = g_strdup_printf ("{\"exclude\":[\"%s\"]}", l2);
  l3 = lease_past (lab, lab->ann, body, 200);
  g_free (body);
  body = g_strdup_printf ("{\"exclude\":[\"%s\",\"%s\"]}", l2, l3);
  l4 = lease_past (lab, lab->ann, body, 200);
  g_free (body);
  body = g_strdup_printf ("{\"exclude\":[\"%s\",\"%s\",\"%s\"]}", l2, l3, l4);
  g_assert_null (lease_past (lab, lab->ann, body, 409));

  history = http (&lab->s, "GET", "/api/v1/participants/1/history", lab->kim, NULL, NULL);
  refusals = json_object_get (history->json, "refusals");
  g_assert_cmpint (json_array_size (refusals), ==, 5);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (refusals, 0), "code")), ==,
                   "too_many_leases");
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (refusals, 4), "code")), ==,
                   "already_submitted");
  people = http (&lab->s, "GET", "/api/v1/participants/1", lab->kim, NULL, NULL);
  g_assert_cmpint (json_integer_value (json_object_get (people->json, "refusals_today")), ==, 5);
}

static void
test_broken_reports (Lab          *lab,
                     gconstpointer data)
{
  g_autofree char *task = NULL;
  g_autofree char *l1 = lease (lab, lab->bob, &task);
  g_autofree char *path = g_strdup_printf ("/api/v1/leases/%s/broken", l1);
  g_autofree char *restore = g_strdup_printf ("/api/v1/tasks/%s/restore", task);
  g_autoptr (Reply) report = http (&lab->s, "POST", path, lab->bob, "{\"reason\":\"blank\"}",
                                   NULL);
  g_autoptr (Reply) again = NULL;
  g_autoptr (Reply) list = NULL;
  g_autoptr (Reply) back = NULL;
  g_autoptr (Reply) empty = NULL;
  g_autoptr (Reply) other = NULL;
  json_t *item;

  g_assert_cmpint (report->status, ==, 204);
  again = http (&lab->s, "POST", path, lab->bob, "{\"reason\":\"blank\"}", NULL);
  g_assert_cmpint (again->status, ==, 409);
  g_assert_cmpstr (error_code (again), ==, "lease_gone");
  list = http (&lab->s, "GET", "/api/v1/tasks/broken", lab->kim, NULL, NULL);
  g_assert_cmpint (list->status, ==, 200);
  item = json_array_get (json_object_get (list->json, "tasks"), 0);
  g_assert_cmpstr (json_string_value (json_object_get (item, "task_id")), ==, task);
  g_assert_cmpstr (json_string_value (json_object_get (item, "reason")), ==, "blank");
  g_assert_cmpstr (json_string_value (json_object_get (item, "reported_by")), ==, "bob");
  other = http (&lab->s, "GET", "/api/v1/tasks/broken", lab->bob, NULL, NULL);
  g_assert_cmpint (other->status, ==, 403);

  back = http (&lab->s, "POST", restore, lab->kim, NULL, NULL);
  g_assert_cmpint (back->status, ==, 204);
  empty = http (&lab->s, "GET", "/api/v1/tasks/broken", lab->kim, NULL, NULL);
  g_assert_cmpint (json_array_size (json_object_get (empty->json, "tasks")), ==, 0);
}

static Reply *
lease_voice (Lab        *lab,
             const char *token,
             const char *body,
             const char *expect_task)
{
  Reply *r = http (&lab->s, "POST", "/api/v1/lease", token, body, NULL);
  if (expect_task == NULL)
    g_assert_cmpint (r->status, ==, 204);
  else
    {
      g_assert_cmpint (r->status, ==, 200);
      g_assert_cmpstr (json_string_value (json_object_get (json_object_get (r->json, "task"),
                                                           "id")), ==, expect_task);
    }
  return r;
}

static char *
pass_path (Reply *r)
{
  return g_strdup_printf ("/api/v1/leases/%s/pass",
                          json_string_value (json_object_get (json_object_get (r->json, "lease"),
                                                              "id")));
}

static json_t *
signals_of (Lab        *lab,
            const char *name)
{
  g_autoptr (Reply) people = http (&lab->s, "GET", "/api/v1/participants", lab->kim, NULL, NULL);
  g_autoptr (Reply) sig = http (&lab->s, "GET", "/api/v1/signals", lab->kim, NULL, NULL);
  json_t *p, *one;
  size_t i, j;

  json_array_foreach (json_object_get (people->json, "participants"), i, p)
    if (g_str_equal (json_string_value (json_object_get (p, "name")), name))
      json_array_foreach (json_object_get (sig->json, "signals"), j, one)
        if (json_integer_value (json_object_get (one, "id")) ==
            json_integer_value (json_object_get (p, "id")))
          return json_incref (one);
  g_assert_not_reached ();
}

/* A workstation in voice mode gets recordings only, until the coach
 * allows image tasks; a pass gives the task to someone else, not back,
 * is no result, shows in the coach's signals and is capped. */
static void
test_voice_routing_and_pass (Lab          *lab,
                             gconstpointer data)
{
  g_autofree char *voice_tasks = g_build_filename (lab->s.dir, "voice.jsonl", NULL);
  g_autofree char *path1 = NULL, *path2 = NULL, *path3 = NULL, *settings = NULL;
  g_autoptr (Reply) a1 = NULL, a2 = NULL, b1 = NULL, none = NULL, bad = NULL, p1 = NULL;
  g_autoptr (Reply) again = NULL, p2 = NULL, allow = NULL, img = NULL, capped = NULL;
  g_autoptr (Reply) after = NULL, stats = NULL;
  json_t *sig, *reasons;

  g_assert_true (g_file_set_contents (voice_tasks,
                                      "{\"id\":\"v1\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n"
                                      "{\"id\":\"v2\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n",
                                      -1, NULL));
  g_free (harness_run (lab->s.db, "import", voice_tasks, "--dataset", "voice", NULL));

  bad = http (&lab->s, "POST", "/api/v1/lease", lab->ann, "{\"voice\":\"yes\"}", NULL);
  g_assert_cmpint (bad->status, ==, 400);
  a1 = lease_voice (lab, lab->ann, "{\"voice\":true}", "v1");
  path1 = pass_path (a1);
  g_clear_pointer (&bad, reply_free);
  bad = http (&lab->s, "POST", path1, lab->ann, "{\"reason\":\"boring\"}", NULL);
  g_assert_cmpint (bad->status, ==, 400);
  g_assert_cmpstr (error_code (bad), ==, "invalid");
  g_clear_pointer (&bad, reply_free);
  bad = http (&lab->s, "POST", path1, lab->bob, "{\"reason\":\"noisy\"}", NULL);
  g_assert_cmpint (bad->status, ==, 403);
  p1 = http (&lab->s, "POST", path1, lab->ann, "{\"reason\":\"noisy\"}", NULL);
  g_assert_cmpint (p1->status, ==, 204);
  again = http (&lab->s, "POST", path1, lab->ann, "{\"reason\":\"noisy\"}", NULL);
  g_assert_cmpint (again->status, ==, 409);
  g_assert_cmpstr (error_code (again), ==, "lease_gone");

  /* Not back to Ann; Bob gets it. */
  a2 = lease_voice (lab, lab->ann, "{\"voice\":true}", "v2");
  b1 = lease_voice (lab, lab->bob, "{\"voice\":true}", "v1");
  path2 = pass_path (a2);
  g_clear_pointer (&p2, reply_free);
  p2 = http (&lab->s, "POST", path2, lab->ann, "{\"reason\":\"language\"}", NULL);
  g_assert_cmpint (p2->status, ==, 204);
  /* No listening work left for Ann: nothing, not a box task. */
  none = lease_voice (lab, lab->ann, "{\"voice\":true}", NULL);
  stats = http (&lab->s, "GET", "/api/v1/participants", lab->kim, NULL, NULL);
  g_assert_cmpint (json_integer_value (json_object_get (json_array_get (
                     json_object_get (stats->json, "participants"), 0), "tasks_today")), ==, 0);

  /* The coach allows image tasks in voice mode. */
  sig = signals_of (lab, "ann");
  settings = g_strdup_printf ("/api/v1/participants/%" JSON_INTEGER_FORMAT "/settings",
                              json_integer_value (json_object_get (sig, "id")));
  allow = http (&lab->s, "PUT", settings, lab->kim, "{\"voice_images\":true}", NULL);
  g_assert_cmpint (allow->status, ==, 200);
  g_clear_pointer (&bad, reply_free);
  bad = http (&lab->s, "PUT", settings, lab->kim, "{\"voice_images\":1}", NULL);
  g_assert_cmpint (bad->status, ==, 400);
  img = lease_voice (lab, lab->ann, "{\"voice\":true}", "t0");

  /* Passes in the signals, with their reasons. */
  json_decref (sig);
  sig = signals_of (lab, "ann");
  g_assert_cmpint (json_integer_value (json_object_get (sig, "passes_today")), ==, 2);
  reasons = json_object_get (sig, "pass_reasons");
  g_assert_cmpint (json_integer_value (json_object_get (reasons, "noisy")), ==, 1);
  g_assert_cmpint (json_integer_value (json_object_get (reasons, "language")), ==, 1);
  json_decref (sig);

  /* The cap. */
  g_free (harness_run (lab->s.db, "set", "max_passes", "2", NULL));
  path3 = pass_path (img);
  capped = http (&lab->s, "POST", path3, lab->ann, "{\"reason\":\"not_for_me\"}", NULL);
  g_assert_cmpint (capped->status, ==, 409);
  g_assert_cmpstr (error_code (capped), ==, "too_many_passes");

  /* Taken back on the command line: the box task held is let go. */
  g_free (harness_run (lab->s.db, "user", "set", "ann", "voice_images", "false", NULL));
  after = lease_voice (lab, lab->ann, "{\"voice\":true}", NULL);
}

/* Ann's lease runs out, Bob gets the task and hands it in: Ann's late
 * result would be an answer more than the task asks for. */
static void
test_late_submit_after_reassignment (Lab          *lab,
                                     gconstpointer data)
{
  g_autofree char *t0 = NULL, *t1 = NULL, *b0 = NULL, *b1 = NULL, *body = NULL;
  g_autofree char *l0 = NULL, *l1 = NULL, *m0 = NULL, *m1 = NULL;
  g_autoptr (Reply) bobs = NULL;
  g_autoptr (Reply) late = NULL;
  g_autoptr (Reply) lr = NULL;

  server_kill (&lab->s, SIGTERM);
  g_free (harness_run (lab->s.db, "set", "lease_seconds", "1", NULL));
  server_start (&lab->s, lab->s.dir);
  l0 = lease (lab, lab->ann, &t0);
  body = g_strdup_printf ("{\"exclude\":[\"%s\"]}", l0);
  lr = http (&lab->s, "POST", "/api/v1/lease", lab->ann, body, NULL);
  l1 = g_strdup (json_string_value (json_object_get (json_object_get (lr->json, "lease"), "id")));
  t1 = g_strdup (json_string_value (json_object_get (json_object_get (lr->json, "task"), "id")));
  g_assert_cmpstr (t1, ==, "t1");
  g_usleep (1200 * 1000);
  m0 = lease (lab, lab->bob, &b0);
  g_assert_cmpstr (b0, ==, "t0");
  g_free (body);
  body = g_strdup_printf ("{\"exclude\":[\"%s\"]}", m0);
  g_clear_pointer (&lr, reply_free);
  lr = http (&lab->s, "POST", "/api/v1/lease", lab->bob, body, NULL);
  m1 = g_strdup (json_string_value (json_object_get (json_object_get (lr->json, "lease"), "id")));
  b1 = g_strdup (json_string_value (json_object_get (json_object_get (lr->json, "task"), "id")));
  g_assert_cmpstr (b1, ==, "t1");
  bobs = submit (lab, lab->bob, m1, "bob-1");
  g_assert_cmpint (bobs->status, ==, 200);
  late = submit (lab, lab->ann, l1, "ann-1");
  g_assert_cmpint (late->status, ==, 409);
  g_assert_cmpstr (error_code (late), ==, "lease_gone");
}

/* A proposal in an imported task file goes out with the lease, as a
 * model's does; on a gold task it is kept but never sent. */
static void
test_imported_proposal_leased (Lab          *lab,
                               gconstpointer data)
{
  g_autofree char *tasks = g_build_filename (lab->s.dir, "proposed.jsonl", NULL);
  g_autoptr (Reply) ann = NULL;
  g_autoptr (Reply) bob = NULL;
  json_t *task, *proposal;

  g_assert_true (g_file_set_contents (
    tasks,
    "{\"id\":\"p1\",\"kind\":\"transcribe\",\"audio\":\"a.wav\",\"language\":\"en\","
    "\"proposal\":{\"model\":\"pocketsphinx\",\"version\":\"0.8\",\"text\":\"ten of clubs\","
    "\"words\":[{\"word\":\"ten\",\"confidence\":0.9,\"start\":0.1,\"end\":0.4}]}}\n"
    "{\"id\":\"p2\",\"kind\":\"transcribe\",\"audio\":\"a.wav\",\"language\":\"en\","
    "\"gold\":{\"text\":\"ten of clubs\"},\"proposal\":{\"text\":\"ten of clubs\"}}\n",
    -1, NULL));
  g_free (harness_run (lab->s.db, "import", tasks, NULL));

  /* Voice mode: only these recordings, not the box tasks before them. */
  ann = http (&lab->s, "POST", "/api/v1/lease", lab->ann, "{\"voice\":true}", NULL);
  g_assert_cmpint (ann->status, ==, 200);
  task = json_object_get (ann->json, "task");
  g_assert_cmpstr (json_string_value (json_object_get (task, "id")), ==, "p1");
  proposal = json_object_get (task, "proposal");
  g_assert_cmpstr (json_string_value (json_object_get (proposal, "model")), ==, "pocketsphinx");
  g_assert_cmpstr (json_string_value (json_object_get (proposal, "text")), ==, "ten of clubs");
  g_assert_cmpuint (json_array_size (json_object_get (proposal, "words")), ==, 1);

  bob = http (&lab->s, "POST", "/api/v1/lease", lab->bob, "{\"voice\":true}", NULL);
  g_assert_cmpint (bob->status, ==, 200);
  task = json_object_get (bob->json, "task");
  g_assert_cmpstr (json_string_value (json_object_get (task, "id")), ==, "p2");
  g_assert_null (json_object_get (task, "proposal"));
  g_assert_null (json_object_get (task, "gold"));
}

/* SIGKILL in the middle of a stream of submits: every acknowledged
 * result is there exactly once after a restart and a resend. */
static void
test_sigkill_during_submits (Lab          *lab,
                             gconstpointer data)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *tasks = g_build_filename (lab->s.dir, "more.jsonl", NULL);
  g_autoptr (GPtrArray) leases = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *export = NULL;
  g_auto (GStrv) lines = NULL;
  int n = 200, exported = 0;

  for (int i = 0; i < n; i++)
    g_string_append_printf (text, "{\"id\":\"s%03d\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n",
                            i);
  g_assert_true (g_file_set_contents (tasks, text->str, -1, NULL));
  server_kill (&lab->s, SIGTERM);
  g_free (harness_run (lab->s.db, "import", tasks, NULL));
  server_start (&lab->s, lab->s.dir);

  for (int i = 0; i < n + 7; i++)
    {
      g_autoptr (Reply) r = http (&lab->s, "POST", "/api/v1/lease", lab->bob, NULL, NULL);
      if (r->status != 200)
        break;
      g_ptr_array_add (leases, g_strdup (json_string_value (json_object_get (
                                 json_object_get (r->json, "lease"), "id"))));
      {
        g_autofree char *body = g_strdup_printf ("{\"lease_id\":\"%s\",\"idempotency_key\":\"k%d\","
                                                 "\"result\":{%s}}", (char *) g_ptr_array_index (leases, i), i,
                                                 g_str_has_prefix (json_string_value (json_object_get (
                                                                     json_object_get (r->json, "task"), "kind")),
                                                                   "bbox")
                                                   ? "\"boxes\":[]" : "\"text\":\"x\"");
        g_autoptr (Reply) s = NULL;
        if (i == n / 2)
          server_kill (&lab->s, SIGKILL);
        if (lab->s.proc == NULL)
          break;
        s = http (&lab->s, "POST", "/api/v1/results", lab->bob, body, NULL);
        if (s->status == 200)
          g_hash_table_add (acked, g_strdup_printf ("%d", i));
      }
    }
  g_assert_cmpint (g_hash_table_size (acked), ==, n / 2);

  /* Restart; the client resends everything, acknowledged or not. */
  server_start (&lab->s, lab->s.dir);
  for (guint i = 0; i < leases->len; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"lease_id\":\"%s\",\"idempotency_key\":\"k%u\","
                                               "\"result\":{\"text\":\"x\"}}",
                                               (char *) g_ptr_array_index (leases, i), i);
      g_autoptr (Reply) s = http (&lab->s, "POST", "/api/v1/results", lab->bob, body, NULL);
      g_assert_true (s->status == 200 || s->status == 400);
    }
  export = harness_run (lab->s.db, "export", "--format", "jsonl", NULL);
  lines = g_strsplit (export, "\n", -1);
  for (char **l = lines; *l; l++)
    exported += g_str_has_prefix (*l, "{") && strstr (*l, "\"participant\":\"bob\"") != NULL;
  /* Each lease once: the acknowledged ones were not stored twice. */
  g_assert_cmpint (exported, ==, leases->len);
}

/* Every endpoint against every kind of caller: the participant ann, the
 * coach lea of another group, no token, a bad token, ann's token sent as
 * the dashboard's cookie, and last the coach kim of ann's own group.
 * Participant-facing calls use bob's lease, so ann must be refused there
 * too. 0 means "not tried" (kim's event stream would never end). */
enum
{
  AS_ANN,
  AS_LEA,
  AS_NONE,
  AS_BAD,
  AS_ANN_COOKIE,
  AS_KIM,
  N_CALLERS
};

static void
test_role_matrix (Lab *lab, gconstpointer data)
{
  static const struct
  {
    const char *method;
    const char *path; /* %s: bob's lease */
    const char *body;
    long expect[N_CALLERS];
  } calls[] = {
    /* Before ann holds any task, its media is not hers to see. */
    { "GET", "/api/v1/media/1", NULL, { 403, 200, 401, 401, 401, 200 } },
    { "POST", "/api/v1/lease", NULL, { 200, 403, 401, 401, 401, 403 } },
    { "POST", "/api/v1/leases/%s/heartbeat", NULL, { 403, 403, 401, 401, 401, 403 } },
    { "POST", "/api/v1/leases/%s/broken", "{\"reason\":\"x\"}", { 403, 403, 401, 401, 401, 403 } },
    { "POST",
      "/api/v1/results",
      "{\"lease_id\":\"%s\",\"idempotency_key\":\"m\",\"result\":{\"boxes\":[]}}",
      { 403, 403, 401, 401, 401, 403 } },
    { "POST", "/api/v1/events", "{\"type\":\"heartbeat\"}", { 200, 403, 401, 401, 401, 403 } },
    { "GET", "/api/v1/me", NULL, { 200, 200, 401, 401, 401, 200 } },
    { "GET", "/api/v1/me/record", NULL, { 200, 403, 401, 401, 401, 403 } },
    { "GET", "/api/v1/participants", NULL, { 403, 200, 401, 401, 401, 200 } },
    { "GET", "/api/v1/participants/1", NULL, { 403, 404, 401, 401, 401, 200 } },
    { "GET", "/api/v1/participants/1/history", NULL, { 403, 404, 401, 401, 401, 200 } },
    { "GET", "/api/v1/participants/1/record", NULL, { 403, 404, 401, 401, 401, 200 } },
    { "PUT",
      "/api/v1/participants/1/settings",
      "{\"voice\":true}",
      { 403, 404, 401, 401, 401, 200 } },
    { "POST", "/api/v1/participants/1/end-break", NULL, { 403, 404, 401, 401, 401, 204 } },
    { "POST", "/api/v1/participants/1/help/ack", NULL, { 403, 404, 401, 401, 401, 204 } },
    { "PUT",
      "/api/v1/room",
      "{\"start\":\"09:00\",\"work_minutes\":45,\"break_minutes\":15,\"blocks\":4}",
      { 403, 200, 401, 401, 401, 200 } },
    { "GET", "/api/v1/stream", NULL, { 403, 0, 401, 401, 401, 0 } },
    /* Coach ids are not participants: nobody reaches them this way. */
    { "GET", "/api/v1/participants/3", NULL, { 403, 404, 401, 401, 401, 404 } },
    { "DELETE", "/api/v1/participants/1", NULL, { 403, 404, 401, 401, 401, 204 } },
  };
  g_autofree char *bob_lease = lease (lab, lab->bob, NULL);
  g_autofree char *ann_cookie = g_strdup_printf ("Cookie: annolab_token=%s", lab->ann);
  g_autofree char *wrong_secret = g_strdup (lab->kim);
  const char *const cookie_headers[] = { ann_cookie, NULL };
  static const char *const bad_tokens[] = {
    "garbage",
    "1.",
    "1.0000000000000000000000000000000000000000000000000000000000000000",
    "",
  };

  /* The right user number, the right length, one wrong character. */
  wrong_secret[strlen (wrong_secret) - 1]
      = wrong_secret[strlen (wrong_secret) - 1] == '0' ? '1' : '0';
  for (gsize i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_autofree char *path = with_lease (calls[i].path, bob_lease);
      g_autofree char *body = calls[i].body ? with_lease (calls[i].body, bob_lease) : NULL;

      for (int who = 0; who < N_CALLERS; who++)
        {
          const char *token = who == AS_ANN   ? lab->ann
                              : who == AS_LEA ? lab->lea
                              : who == AS_KIM ? lab->kim
                                              : NULL;
          guint tries = who == AS_BAD ? G_N_ELEMENTS (bad_tokens) + 1 : 1;

          if (calls[i].expect[who] == 0)
            continue;
          for (guint t = 0; t < tries; t++)
            {
              g_autoptr (Reply) r = NULL;
              if (who == AS_BAD)
                token = t < G_N_ELEMENTS (bad_tokens) ? bad_tokens[t] : wrong_secret;
              r = http (&lab->s, calls[i].method, path, token, body,
                        who == AS_ANN_COOKIE ? cookie_headers : NULL);
              if (r->status != calls[i].expect[who])
                g_error ("%s %s as caller %d (token %s): %ld, not %ld", calls[i].method, path, who,
                         token ? token : "none", r->status, calls[i].expect[who]);
              /* Refusals say why, in the documented form. */
              if (r->status >= 400)
                g_assert_nonnull (json_string_value (
                    json_object_get (json_object_get (r->json, "error"), "code")));
            }
        }
    }

  /* The dashboard's sign-in is for coaches only. */
  {
    g_autofree char *as_ann = g_strdup_printf ("{\"token\":\"%s\"}", lab->ann);
    g_autofree char *as_kim = g_strdup_printf ("{\"token\":\"%s\"}", lab->kim);
    g_autoptr (Reply) ann = http (&lab->s, "POST", "/coach/login", NULL, as_ann, NULL);
    g_autoptr (Reply) kim = http (&lab->s, "POST", "/coach/login", NULL, as_kim, NULL);
    g_assert_cmpint (ann->status, ==, 401);
    g_assert_cmpint (kim->status, ==, 204);
  }
}

/* A role other than participant or coach (an "admin" row in an older
 * database, or one written by hand) gets no access at all; it used to be
 * taken for a coach of every endpoint, deleting participants included. */
static void
test_unknown_role (Lab *lab, gconstpointer data)
{
  g_autofree char *zed = harness_run (lab->s.db, "user", "add", "zed", "--role", "coach",
                                      "--group", "a", NULL);
  g_autofree char *as_zed = g_strdup_printf ("{\"token\":\"%s\"}", zed);
  g_autofree char *queue = harness_queue_path ();
  const char *add_argv[] = { queue, "--db", lab->s.db, "user", "add", "yve", "--role", "admin",
                             NULL };
  g_autofree char *err = NULL;
  int status = 0;

  test_db_exec (lab->s.db, "UPDATE users SET role = 'admin' WHERE name = 'zed'");
  {
    g_autoptr (Reply) list = http (&lab->s, "GET", "/api/v1/participants", zed, NULL, NULL);
    g_autoptr (Reply) del = http (&lab->s, "DELETE", "/api/v1/participants/2", zed, NULL, NULL);
    g_autoptr (Reply) me = http (&lab->s, "GET", "/api/v1/me", zed, NULL, NULL);
    g_autoptr (Reply) media = http (&lab->s, "GET", "/api/v1/media/1", zed, NULL, NULL);
    g_autoptr (Reply) login = http (&lab->s, "POST", "/coach/login", NULL, as_zed, NULL);
    g_autoptr (Reply) bob = http (&lab->s, "GET", "/api/v1/me", lab->bob, NULL, NULL);

    g_assert_cmpint (list->status, ==, 403);
    g_assert_cmpint (del->status, ==, 403);
    g_assert_cmpint (me->status, ==, 403);
    g_assert_cmpint (media->status, ==, 403);
    g_assert_cmpint (login->status, ==, 401);
    g_assert_cmpint (bob->status, ==, 200);
  }
  /* And no such user can be added. */
  g_assert_true (g_spawn_sync (NULL, (char **) add_argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                               NULL, NULL, &err, &status, NULL));
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "Unknown role \"admin\""));
}

/* Event times a workstation sends are its own claim: the coach's history
 * and counts go by when the server received each event, so events dated
 * 1970, 1999 or 9999 make no days or blocks there. */
static void
test_forged_event_times (Lab *lab, gconstpointer data)
{
  const char *bodies[] = {
    "{\"type\":\"block_start\",\"at\":\"1999-01-01T00:00:00Z\",\"block\":1,\"blocks\":4}",
    "{\"type\":\"break_start\",\"at\":0}",
    "{\"type\":\"pause_start\",\"at\":253402300799999}",
  };
  g_autoptr (Reply) history = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  json_t *days, *blocks;
  size_t i;
  json_t *v;

  for (i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (Reply) r = http (&lab->s, "POST", "/api/v1/events", lab->ann, bodies[i], NULL);
      g_assert_cmpint (r->status / 100, ==, 2);
    }
  history = http (&lab->s, "GET", "/api/v1/participants/1/history", lab->kim, NULL, NULL);
  g_assert_cmpint (history->status, ==, 200);
  days = json_object_get (history->json, "days");
  blocks = json_object_get (history->json, "blocks");
  g_assert_cmpuint (json_array_size (days), ==, 1);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (days, 0), "date")), ==,
                   today);
  g_assert_cmpint (json_integer_value (json_object_get (json_array_get (days, 0), "breaks")), ==, 1);
  json_array_foreach (blocks, i, v)
    g_assert_cmpint (json_integer_value (json_object_get (v, "start")), >,
                     (g_get_real_time () / 1000) - 3600 * 1000);
}

/* Starts the lab's server again with extra arguments after "serve". */
static void
restart_with (Lab *lab, const char *scheme, const char *const *extra)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  g_autofree char *prefix = g_strdup_printf ("listening on %s://127.0.0.1:", scheme);

  if (lab->s.proc)
    server_kill (&lab->s, SIGTERM);
  g_ptr_array_add (argv, harness_queue_path ());
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_strdup (lab->s.db));
  g_ptr_array_add (argv, g_strdup ("serve"));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1:0"));
  for (; extra && *extra; extra++)
    g_ptr_array_add (argv, g_strdup (*extra));
  g_ptr_array_add (argv, NULL);
  lab->s.proc = g_subprocess_newv ((const char *const *)argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                   &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (lab->s.proc));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  g_free (lab->s.url);
  lab->s.url = g_strdup (line + strlen ("listening on "));
}

/* A second server on the lab's SQLite file is refused (neither would see
 * the other's live view); on PostgreSQL several may serve. A rate that is
 * not a number above 0 is refused, not taken as the default. */
static void
test_second_server (Lab *lab, gconstpointer data)
{
  const char *bad_rates[] = { "abc", "0", "-5", "10x" };
  g_autofree char *queue = harness_queue_path ();
  gboolean postgres = g_str_has_prefix (lab->s.db, "postgresql://");

  for (guint i = 0; i < G_N_ELEMENTS (bad_rates); i++)
    {
      const char *argv[] = { queue, "--db", lab->s.db, "serve", "--listen", "127.0.0.1:0",
                             "--rate", bad_rates[i], NULL };
      g_autofree char *err = NULL;
      int status = 0;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                                   NULL, NULL, &err, &status, NULL));
      g_assert_cmpint (WEXITSTATUS (status), ==, 2);
      g_assert_nonnull (strstr (err, "--rate takes"));
    }
  if (!postgres)
    {
      const char *argv[] = { queue, "--db", lab->s.db, "serve", "--listen", "127.0.0.1:0", NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = 0;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status,
                                   NULL));
      g_assert_cmpint (WEXITSTATUS (status), ==, 1);
      g_assert_cmpstr (out, ==, "");
      g_assert_nonnull (strstr (err, "already using"));
    }
  {
    /* The first one still serves. */
    g_autoptr (Reply) r = http (&lab->s, "GET", "/api/v1/health", NULL, NULL, NULL);
    g_assert_cmpint (r->status, ==, 200);
  }
}

/* A token renewed from the command line: the old one is refused at once
 * by the running server, the new one works, the person stays the same. */
static void
test_token_renewed (Lab *lab, gconstpointer data)
{
  g_autofree char *out = harness_run (lab->s.db, "user", "token", "ann", NULL);
  g_autofree char *token = g_strstrip (g_strdup (out));
  g_autoptr (Reply) old = http (&lab->s, "GET", "/api/v1/me", lab->ann, NULL, NULL);
  g_autoptr (Reply) renewed = http (&lab->s, "GET", "/api/v1/me", token, NULL, NULL);

  g_assert_cmpstr (token, !=, lab->ann);
  g_assert_cmpint (old->status, ==, 401);
  g_assert_cmpint (renewed->status, ==, 200);
  g_assert_cmpstr (json_string_value (json_object_get (renewed->json, "name")), ==, "ann");
}

/* 200 requests a second per token by default; here 5 (burst 10), so that
 * a short loop meets the wall while another participant does not. */
static void
test_rate_limit_per_token (Lab *lab, gconstpointer data)
{
  const char *const rate[] = { "--rate", "5", NULL };
  int ok = 0, refused = 0;

  restart_with (lab, "http", rate);
  for (int i = 0; i < 30; i++)
    {
      g_autoptr (Reply) r = http (&lab->s, "GET", "/api/v1/me", lab->ann, NULL, NULL);
      if (r->status == 200)
        ok++;
      else
        {
          g_assert_cmpint (r->status, ==, 429);
          g_assert_cmpstr (
              json_string_value (json_object_get (json_object_get (r->json, "error"), "code")), ==,
              "too_many_requests");
          refused++;
        }
    }
  /* The burst (10) plus what refills while the loop runs. */
  g_assert_cmpint (ok, >=, 10);
  g_assert_cmpint (refused, >=, 5);
  {
    /* Another token has its own bucket; a bad token is refused as bad. */
    g_autoptr (Reply) bob = http (&lab->s, "GET", "/api/v1/me", lab->bob, NULL, NULL);
    g_autoptr (Reply) bad = http (&lab->s, "GET", "/api/v1/me", "1.x", NULL, NULL);
    g_assert_cmpint (bob->status, ==, 200);
    g_assert_cmpint (bad->status, ==, 401);
  }
  g_usleep (G_USEC_PER_SEC / 2);
  {
    /* Half a second refills two or three. */
    g_autoptr (Reply) again = http (&lab->s, "GET", "/api/v1/me", lab->ann, NULL, NULL);
    g_assert_cmpint (again->status, ==, 200);
  }
}

/* Limits on what a request may carry: nesting exactly at the limit is
 * fine and one more level is not; a chunked body without Content-Length
 * is cut off at 1 MiB while it is read; nonsense times are refused. */
static void
test_body_limits (Lab *lab, gconstpointer data)
{
  const char *const chunked[] = { "Transfer-Encoding: chunked", NULL };
  g_autoptr (GString) at_limit = g_string_new ("{\"type\":\"heartbeat\",\"x\":");
  g_autoptr (GString) over = NULL;
  g_autoptr (GString) big = g_string_new ("{\"type\":\"heartbeat\",\"x\":\"");

  for (int i = 0; i < AL_TEST_MAX_DEPTH - 1; i++)
    g_string_append_c (at_limit, '[');
  for (int i = 0; i < AL_TEST_MAX_DEPTH - 1; i++)
    g_string_append_c (at_limit, ']');
  g_string_append_c (at_limit, '}');
  over = g_string_new (at_limit->str);
  g_string_insert (over, strlen ("{\"type\":\"heartbeat\",\"x\":"), "[");
  g_string_insert (over, over->len - 1, "]");
  {
    g_autoptr (Reply) ok = http (&lab->s, "POST", "/api/v1/events", lab->ann, at_limit->str, NULL);
    g_autoptr (Reply) deep = http (&lab->s, "POST", "/api/v1/events", lab->ann, over->str, NULL);
    g_assert_cmpint (ok->status, ==, 200);
    g_assert_cmpint (deep->status, ==, 400);
    g_assert_cmpstr (
        json_string_value (json_object_get (json_object_get (deep->json, "error"), "code")), ==,
        "too_deep");
  }

  while (big->len < 1024 * 1024 + 10)
    g_string_append (big, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
  g_string_append (big, "\"}");
  {
    g_autoptr (Reply) r = http (&lab->s, "POST", "/api/v1/events", lab->ann, big->str, chunked);
    g_assert_cmpint (r->status, ==, 413);
    g_assert_cmpstr (
        json_string_value (json_object_get (json_object_get (r->json, "error"), "code")), ==,
        "too_large");
  }
  /* Just under the limit is read. */
  g_string_truncate (big, 1024 * 1024 - 100);
  g_string_append (big, "\"}");
  {
    g_autoptr (Reply) r = http (&lab->s, "POST", "/api/v1/events", lab->ann, big->str, chunked);
    g_assert_cmpint (r->status, ==, 200);
  }

  {
    static const char *const bad[] = {
      "{\"type\":\"help\",\"at\":9000000000000000000}",
      "{\"type\":\"help\",\"at\":-1}",
      "{\"type\":\"help\",\"at\":\"0001-01-01T00:00:00Z\"}",
      "{\"type\":\"block_start\",\"ms_left\":-9223372036854775807}",
      "{\"type\":\"block_start\",\"block\":4294967297}",
    };
    for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr (Reply) r = http (&lab->s, "POST", "/api/v1/events", lab->ann, bad[i], NULL);
        g_assert_cmpint (r->status, ==, 400);
      }
  }
  /* The dashboard still describes ann. */
  {
    g_autoptr (Reply) r = http (&lab->s, "GET", "/api/v1/participants/1", lab->kim, NULL, NULL);
    g_assert_cmpint (r->status, ==, 200);
  }
}

static size_t
tls_collect (char *data, size_t size, size_t n, void *out)
{
  g_string_append_len (out, data, size * n);
  return size * n;
}

/* One request over TLS that trusts only @ca; returns the status or -1,
 * and the response headers in @headers. */
static long
tls_request (const char *url, const char *ca, const char *token, const char *body, GString *headers)
{
  CURL *curl = curl_easy_init ();
  struct curl_slist *list = NULL;
  g_autofree char *auth = token ? g_strdup_printf ("Authorization: Bearer %s", token) : NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  long status = -1;

  if (auth)
    list = curl_slist_append (list, auth);
  if (body)
    list = curl_slist_append (list, "Content-Type: application/json");
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, list);
  if (ca)
    curl_easy_setopt (curl, CURLOPT_CAINFO, ca);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, tls_collect);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, out);
  curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, tls_collect);
  curl_easy_setopt (curl, CURLOPT_HEADERDATA, headers);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 10L);
  if (body)
    curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body);
  if (curl_easy_perform (curl) == CURLE_OK)
    curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all (list);
  curl_easy_cleanup (curl);
  return status;
}

/* Native TLS with a throwaway certificate made by openssl for 127.0.0.1:
 * the API answers over https, the dashboard cookie is Secure, and plain
 * HTTP on the TLS port gets nothing. */
static void
test_tls (Lab *lab, gconstpointer data)
{
  g_autofree char *cert = g_build_filename (lab->s.dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (lab->s.dir, "key.pem", NULL);
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *url = NULL, *plain = NULL, *login = NULL;
  g_autofree char *as_kim = g_strdup_printf ("{\"token\":\"%s\"}", lab->kim);
  g_autoptr (GString) headers = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  int status = 0;

  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  {
    const char *argv[] = { openssl,
                           "req",
                           "-x509",
                           "-newkey",
                           "ec",
                           "-pkeyopt",
                           "ec_paramgen_curve:prime256v1",
                           "-nodes",
                           "-keyout",
                           key,
                           "-out",
                           cert,
                           "-days",
                           "1",
                           "-subj",
                           "/CN=127.0.0.1",
                           "-addext",
                           "subjectAltName=IP:127.0.0.1",
                           NULL };
    g_spawn_sync (NULL, (char **)argv, NULL,
                  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                  &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  {
    const char *const tls[] = { "--tls-cert", cert, "--tls-key", key, NULL };
    restart_with (lab, "https", tls);
  }
  url = g_strconcat (lab->s.url, "/api/v1/me", NULL);
  login = g_strconcat (lab->s.url, "/coach/login", NULL);
  g_assert_cmpint (tls_request (url, cert, lab->ann, NULL, headers), ==, 200);
  g_assert_cmpint (tls_request (url, cert, NULL, NULL, headers), ==, 401);
  g_string_truncate (headers, 0);
  g_assert_cmpint (tls_request (login, cert, NULL, as_kim, headers), ==, 204);
  g_assert_nonnull (strstr (headers->str, "HttpOnly; SameSite=Strict; Secure"));
  /* Without trusting the certificate, and in plain HTTP, nothing. */
  g_assert_cmpint (tls_request (url, "/nonexistent/ca.pem", lab->ann, NULL, headers), ==, -1);
  plain = g_strconcat ("http://", lab->s.url + strlen ("https://"), "/api/v1/me", NULL);
  g_assert_cmpint (tls_request (plain, NULL, lab->ann, NULL, headers), !=, 200);
}

/* ---- Limits and the web: Range, idle connections, cookie changes,
 * security headers ---- */

/* The value of response header @name in @r, or NULL; free with g_free. */
static char *
header_of (Reply *r, const char *name)
{
  g_auto (GStrv) lines = g_strsplit (r->headers ? r->headers : "", "\n", -1);
  gsize len = strlen (name);

  for (guint i = 0; lines[i]; i++)
    if (g_ascii_strncasecmp (lines[i], name, len) == 0 && lines[i][len] == ':')
      return g_strstrip (g_strdup (lines[i] + len + 1));
  return NULL;
}

static char *
media_url (Lab *lab, const char *token)
{
  g_autoptr (Reply) lr = http (&lab->s, "POST", "/api/v1/lease", token, NULL, NULL);
  return g_strdup (json_string_value (json_object_get (json_object_get (lr->json, "task"),
                                                       "media_url")));
}

/* Every Range form a player or a script sends: "bytes=0-" is what a
 * browser's <audio> asks first and must be 206. */
static void
test_web_range_forms (Lab *lab, gconstpointer data)
{
  g_autofree char *url = media_url (lab, lab->ann);
  g_autoptr (Reply) full = http (&lab->s, "GET", url, lab->ann, NULL, NULL);
  gsize size = full->body_length;
  g_autofree char *size_text = g_strdup_printf ("%zu", size);
  g_autofree char *past = g_strdup_printf ("Range: bytes=%zu-", size);
  g_autofree char *last = g_strdup_printf ("Range: bytes=%zu-", size - 1);
  g_autofree char *star = g_strdup_printf ("bytes */%zu", size);
  struct
  {
    const char *range;
    long status;
    gsize from, to;     /* for 206 */
  } cases[] = {
    { "Range: bytes=0-", 206, 0, size - 1 },
    { "Range: bytes=10-19", 206, 10, 19 },
    { "Range: bytes=10-999999999999", 206, 10, size - 1 },
    { "Range: bytes=-10", 206, size - 10, size - 1 },
    { "Range: bytes=-999999999", 206, 0, size - 1 },
    { last, 206, size - 1, size - 1 },
    { past, 416, 0, 0 },
    { "Range: bytes=99999999999999999999999-", 416, 0, 0 },
    { "Range: bytes=-0", 416, 0, 0 },
    /* Several ranges, or nonsense: the whole file. */
    { "Range: bytes=0-1,5-6", 200, 0, size - 1 },
    { "Range: bytes=5-3", 200, 0, size - 1 },
    { "Range: bytes=abc", 200, 0, size - 1 },
    { "Range: items=0-5", 200, 0, size - 1 },
  };

  g_assert_cmpint (full->status, ==, 200);
  g_assert_cmpuint (size, >, 100);
  /* If-Range: the piece only of the version the client has. */
  {
    g_autofree char *same = g_strdup_printf ("If-Range: %s", full->etag);
    const char *const current[] = { "Range: bytes=0-9", same, NULL };
    const char *const other[] = { "Range: bytes=0-9", "If-Range: \"1-1\"", NULL };
    g_autoptr (Reply) piece = http (&lab->s, "GET", url, lab->ann, NULL, current);
    g_autoptr (Reply) whole = http (&lab->s, "GET", url, lab->ann, NULL, other);
    g_assert_cmpint (piece->status, ==, 206);
    g_assert_cmpuint (piece->body_length, ==, 10);
    g_assert_cmpint (whole->status, ==, 200);
    g_assert_cmpuint (whole->body_length, ==, size);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *headers[] = { cases[i].range, NULL };
      g_autoptr (Reply) r = http (&lab->s, "GET", url, lab->ann, NULL, headers);
      g_autofree char *want = NULL;

      g_test_message ("%s", cases[i].range);
      g_assert_cmpint (r->status, ==, cases[i].status);
      if (cases[i].status == 416)
        {
          g_assert_cmpstr (r->content_range, ==, star);
          continue;
        }
      g_assert_cmpuint (r->body_length, ==, cases[i].to - cases[i].from + 1);
      g_assert_true (memcmp (r->body, full->body + cases[i].from, r->body_length) == 0);
      if (cases[i].status == 200)
        {
          g_assert_null (r->content_range);
          continue;
        }
      want = g_strdup_printf ("bytes %zu-%zu/%s", cases[i].from, cases[i].to, size_text);
      g_assert_cmpstr (r->content_range, ==, want);
    }
}

static void
assert_security_headers (Reply *r, const char *what)
{
  static const char *const names[][2] = {
    { "Content-Security-Policy", "frame-ancestors 'none'" },
    { "X-Frame-Options", "DENY" },
    { "X-Content-Type-Options", "nosniff" },
    { "Cache-Control", "no-store" },
    { "Referrer-Policy", "no-referrer" },
  };

  g_test_message ("%s: %ld", what, r->status);
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *value = header_of (r, names[i][0]);
      if (value == NULL || strstr (value, names[i][1]) == NULL)
        g_error ("%s (%ld) has %s: %s", what, r->status, names[i][0], value ? value : "(none)");
    }
}

/* The security headers on every kind of answer, media and errors too. */
static void
test_web_security_headers (Lab *lab, gconstpointer data)
{
  g_autofree char *url = media_url (lab, lab->ann);
  g_autofree char *cookie = g_strdup_printf ("Cookie: annolab_token=%s", lab->kim);
  g_autofree char *login = g_strdup_printf ("{\"token\":\"%s\"}", lab->kim);
  g_autoptr (Reply) full = http (&lab->s, "GET", url, lab->ann, NULL, NULL);
  g_autofree char *inm = g_strdup_printf ("If-None-Match: %s", full->etag);
  const char *const part[] = { "Range: bytes=0-", NULL };
  const char *const past[] = { "Range: bytes=99999999-", NULL };
  const char *const cond[] = { inm, NULL };
  const char *const with_cookie[] = { cookie, NULL };
  struct
  {
    const char *what, *method, *path, *token, *body;
    const char *const *headers;
    long status;
  } cases[] = {
    { "media", "GET", url, lab->ann, NULL, NULL, 200 },
    { "media part", "GET", url, lab->ann, NULL, part, 206 },
    { "media unchanged", "GET", url, lab->ann, NULL, cond, 304 },
    { "media past the end", "GET", url, lab->ann, NULL, past, 416 },
    { "media HEAD", "HEAD", url, lab->ann, NULL, NULL, 200 },
    { "media of another", "GET", url, lab->bob, NULL, NULL, 403 },
    { "login", "POST", "/coach/login", NULL, login, NULL, 204 },
    { "logout", "POST", "/coach/logout", NULL, NULL, with_cookie, 204 },
    { "dashboard", "GET", "/coach/", NULL, NULL, NULL, 200 },
    { "script", "GET", "/coach/coach.js", NULL, NULL, NULL, 200 },
    { "record", "GET", "/api/v1/participants/1/record?format=html", lab->kim, NULL, NULL, 200 },
    { "record json", "GET", "/api/v1/participants/1/record", lab->kim, NULL, NULL, 200 },
    { "no token", "GET", "/api/v1/me", NULL, NULL, NULL, 401 },
    { "nothing here", "GET", "/nothing", NULL, NULL, NULL, 404 },
    { "wrong method", "DELETE", "/api/v1/me", lab->ann, NULL, NULL, 405 },
    { "bad body", "POST", "/api/v1/events", lab->ann, "{", NULL, 400 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (Reply) r = http (&lab->s, cases[i].method, cases[i].path, cases[i].token,
                                  cases[i].body, cases[i].headers);
      g_assert_cmpint (r->status, ==, cases[i].status);
      assert_security_headers (r, cases[i].what);
    }
}

/* The work record's one inline style is allowed by its hash and nothing
 * else is: no 'unsafe-inline', no scripts. */
static void
test_web_record_csp (Lab *lab, gconstpointer data)
{
  g_autoptr (Reply) r = http (&lab->s, "GET", "/api/v1/participants/1/record?format=html",
                              lab->kim, NULL, NULL);
  g_autofree char *csp = header_of (r, "Content-Security-Policy");
  const char *open = strstr (r->body, "<style>") + strlen ("<style>");
  const char *close = strstr (open, "</style>");
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  g_autofree char *hash = NULL;
  g_autofree char *want = NULL;

  g_assert_cmpint (r->status, ==, 200);
  g_assert_nonnull (csp);
  g_checksum_update (sum, (const guchar *) open, close - open);
  g_checksum_get_digest (sum, digest, &length);
  hash = g_base64_encode (digest, length);
  want = g_strdup_printf ("style-src 'sha256-%s'", hash);
  g_assert_nonnull (strstr (csp, want));
  g_assert_nonnull (strstr (csp, "default-src 'none'"));
  g_assert_null (strstr (csp, "unsafe-inline"));
  g_assert_null (strstr (csp, "script-src"));
}

/* A change made with the dashboard cookie must come from the dashboard's
 * own pages (Sec-Fetch-Site or Origin) and carry a JSON body; a script
 * with a Bearer token is not a browser and needs neither. */
static void
test_web_cookie_changes (Lab *lab, gconstpointer data)
{
  g_autofree char *cookie = g_strdup_printf ("Cookie: annolab_token=%s", lab->kim);
  g_autofree char *own = g_strdup_printf ("Origin: %s", lab->s.url);
  const char *const json = "Content-Type: application/json";
  const char *const cross[] = { cookie, "Sec-Fetch-Site: cross-site", json, NULL };
  const char *const same_site[] = { cookie, "Sec-Fetch-Site: same-site", json, NULL };
  const char *const evil[] = { cookie, "Origin: http://evil.example", json, NULL };
  const char *const bare[] = { cookie, json, NULL };
  const char *const form[] = { cookie, "Sec-Fetch-Site: same-origin",
                               "Content-Type: application/x-www-form-urlencoded", NULL };
  const char *const text[] = { cookie, "Sec-Fetch-Site: same-origin", "Content-Type: text/plain",
                               NULL };
  const char *const same[] = { cookie, "Sec-Fetch-Site: same-origin", json, NULL };
  const char *const origin[] = { cookie, own, json, NULL };
  static const char *const room = "{\"start\":\"09:00\",\"work_minutes\":45,"
                                  "\"break_minutes\":15,\"blocks\":4}";
  static const char *const plan = "{\"voice\":true}";
  struct
  {
    const char *method, *path, *body;
    long ok;
  } changes[] = {
    { "POST", "/api/v1/participants/1/end-break", "{}", 204 },
    { "POST", "/api/v1/participants/1/help/ack", "{}", 204 },
    { "PUT", "/api/v1/participants/1/settings", plan, 200 },
    { "PUT", "/api/v1/room", room, 200 },
    { "DELETE", "/api/v1/participants/2", "{}", 204 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (changes); i++)
    {
      const char *m = changes[i].method, *p = changes[i].path, *b = changes[i].body;
      struct
      {
        const char *const *headers;
        const char *body;
        long status;
        const char *code;
      } tries[] = {
        { cross, b, 403, "cross_site" },  { same_site, b, 403, "cross_site" },
        { evil, b, 403, "cross_site" },   { bare, b, 403, "cross_site" },
        { form, "a=1", 415, NULL },       { text, b, 415, NULL },
        { same, NULL, 400, NULL },        { same, "[1]", 400, NULL },
      };

      g_test_message ("%s %s", m, p);
      for (gsize j = 0; j < G_N_ELEMENTS (tries); j++)
        {
          g_autoptr (Reply) r = http (&lab->s, m, p, NULL, tries[j].body, tries[j].headers);
          g_assert_cmpint (r->status, ==, tries[j].status);
          if (tries[j].code)
            g_assert_cmpstr (json_string_value (json_object_get (json_object_get (r->json,
                                                                                  "error"),
                                                                 "code")), ==, tries[j].code);
        }
      /* None of those deleted bob (participant 2). */
      {
        g_autoptr (Reply) still = http (&lab->s, "GET", "/api/v1/participants/2/history",
                                        lab->kim, NULL, NULL);
        g_assert_cmpint (still->status, ==, 200);
      }
      {
        g_autoptr (Reply) r = http (&lab->s, m, p, NULL, b, i % 2 ? same : origin);
        g_assert_cmpint (r->status, ==, changes[i].ok);
      }
    }
  /* Scripts with a Bearer token: no body needed for the bodiless ones. */
  {
    g_autoptr (Reply) r = http (&lab->s, "POST", "/api/v1/participants/1/end-break", lab->kim,
                                NULL, NULL);
    g_assert_cmpint (r->status, ==, 204);
  }
}

/* PUT /room and the settings take the keys they know and values of the
 * right form only, and the 400 names the key at fault. */
static void
test_web_room_settings_keys (Lab *lab, gconstpointer data)
{
  struct
  {
    const char *path, *body, *names;
  } bad[] = {
    { "/api/v1/room", "{\"start\":\"09:00<script>\",\"work_minutes\":45,\"break_minutes\":15,"
                      "\"blocks\":4}", "\"start\"" },
    { "/api/v1/room", "{\"start\":\"9:00\",\"work_minutes\":45,\"break_minutes\":15,"
                      "\"blocks\":4}", "\"start\"" },
    { "/api/v1/room", "{\"start\":\"24:00\",\"work_minutes\":45,\"break_minutes\":15,"
                      "\"blocks\":4}", "\"start\"" },
    { "/api/v1/room", "{\"start\":\"09:60\",\"work_minutes\":45,\"break_minutes\":15,"
                      "\"blocks\":4}", "\"start\"" },
    { "/api/v1/room", "{\"start\":\"09:00\",\"work_minutes\":45,\"break_minutes\":15,"
                      "\"blocks\":4,\"colour\":\"red\"}", "\"colour\"" },
    { "/api/v1/room", "{\"start\":\"09:00\",\"work_minutes\":\"45\",\"break_minutes\":15,"
                      "\"blocks\":4}", "\"work_minutes\"" },
    { "/api/v1/room", "{\"start\":\"09:00\",\"work_minutes\":45,\"break_minutes\":15,"
                      "\"blocks\":40}", "\"blocks\"" },
    { "/api/v1/participants/1/settings", "{\"voice\":true,\"theme\":\"dark\"}", "\"theme\"" },
    { "/api/v1/participants/1/settings", "{\"plan\":{\"work_minutes\":30,\"break_minutes\":10,"
                                         "\"blocks\":3,\"extra\":1}}", "\"extra\"" },
    { "/api/v1/participants/1/settings", "{\"plan\":{\"work_minutes\":30,\"break_minutes\":0,"
                                         "\"blocks\":3}}", "\"break_minutes\"" },
    { "/api/v1/participants/1/settings", "{\"plan\":{\"work_minutes\":30,\"break_minutes\":10,"
                                         "\"blocks\":3,\"rhythm\":\"<b>\"}}", "\"rhythm\"" },
    { "/api/v1/participants/1/settings", "{\"voice\":\"yes\"}", "\"voice\"" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (Reply) r = http (&lab->s, "PUT", bad[i].path, lab->kim, bad[i].body, NULL);
      const char *message = json_string_value (json_object_get (json_object_get (r->json,
                                                                                 "error"),
                                                                "message"));
      g_test_message ("%s %s -> %s", bad[i].path, bad[i].body, message);
      g_assert_cmpint (r->status, ==, 400);
      g_assert_nonnull (message);
      g_assert_nonnull (strstr (message, bad[i].names));
    }
  {
    g_autoptr (Reply) room = http (&lab->s, "PUT", "/api/v1/room", lab->kim,
                                   "{\"start\":\"23:59\",\"work_minutes\":45,"
                                   "\"break_minutes\":15,\"blocks\":4}", NULL);
    g_autoptr (Reply) me = http (&lab->s, "GET", "/api/v1/me", lab->ann, NULL, NULL);
    g_assert_cmpint (room->status, ==, 200);
    g_assert_cmpstr (json_string_value (json_object_get (json_object_get (me->json, "room"),
                                                         "start")), ==, "23:59");
  }
  /* The dashboard's forms take the limits from the server, not a copy. */
  {
    g_autoptr (Reply) room = http (&lab->s, "GET", "/api/v1/room", lab->kim, NULL, NULL);
    g_autoptr (Reply) ann = http (&lab->s, "GET", "/api/v1/participants/1", lab->kim, NULL, NULL);
    json_t *limits[] = { json_object_get (room->json, "limits"),
                         json_object_get (ann->json, "limits") };

    for (gsize i = 0; i < G_N_ELEMENTS (limits); i++)
      {
        g_assert_cmpint (json_integer_value (json_object_get (json_object_get (limits[i],
                                                                               "work_minutes"),
                                                              "max")), ==, 240);
        g_assert_cmpint (json_integer_value (json_object_get (json_object_get (limits[i],
                                                                               "break_minutes"),
                                                              "max")), ==, 120);
        g_assert_cmpint (json_integer_value (json_object_get (json_object_get (limits[i],
                                                                               "blocks"),
                                                              "min")), ==, 1);
      }
  }
}

/* Opens up to @n TCP connections from @source to the server and sends
 * nothing on them. */
static GPtrArray *
open_idle (Lab *lab, const char *source, int n)
{
  GPtrArray *socks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GInetAddress) from = g_inet_address_new_from_string (source);
  g_autoptr (GSocketAddress) local = g_inet_socket_address_new (from, 0);
  g_autoptr (GInetAddress) to = g_inet_address_new_from_string ("127.0.0.1");
  guint16 port = atoi (strrchr (lab->s.url, ':') + 1);
  g_autoptr (GSocketAddress) remote = g_inet_socket_address_new (to, port);

  for (int i = 0; i < n; i++)
    {
      g_autoptr (GError) error = NULL;
      GSocket *sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                    G_SOCKET_PROTOCOL_TCP, &error);
      g_assert_no_error (error);
      g_socket_set_timeout (sock, 2);
      if (!g_socket_bind (sock, local, FALSE, &error) ||
          !g_socket_connect (sock, remote, NULL, &error))
        {
          g_test_message ("connection %d from %s: %s", i, source, error->message);
          g_object_unref (sock);
          break;
        }
      g_ptr_array_add (socks, sock);
    }
  return socks;
}

/* How many of @socks the server still holds open (not closed, not reset). */
static guint
count_open (GPtrArray *socks)
{
  guint open = 0;

  for (guint i = 0; i < socks->len; i++)
    if (!(g_socket_condition_check (g_ptr_array_index (socks, i),
                                    G_IO_IN | G_IO_HUP | G_IO_ERR) != 0))
      open++;
  return open;
}

static guint
server_threads (Lab *lab)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status",
                                           g_subprocess_get_identifier (lab->s.proc));
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, "\nThreads:");
  g_assert_nonnull (line);
  return (guint) g_ascii_strtoull (line + strlen ("\nThreads:"), NULL, 10);
}

/* A thousand idle connections from four addresses (four curious
 * participants) take 16 each and lock nobody else out; the server closes
 * them after the idle timeout (2 s here). The connections it holds cost
 * it no thread each. */
static void
test_web_idle_connections (Lab *lab, gconstpointer data)
{
  const char *const idle[] = { "--idle-timeout", "2", "--threads", "2", NULL };
  static const char *const sources[] = { "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5" };
  GPtrArray *socks[G_N_ELEMENTS (sources)];
  struct rlimit files;
  gint64 first, start;
  guint open;

  getrlimit (RLIMIT_NOFILE, &files);
  if (files.rlim_cur < 1200)
    {
      files.rlim_cur = MIN (files.rlim_max, 1200);
      setrlimit (RLIMIT_NOFILE, &files);
      if (files.rlim_cur < 1200)
        {
          g_test_skip ("fewer than 1200 open files allowed");
          return;
        }
    }
  restart_with (lab, "http", idle);
  first = g_get_monotonic_time ();
  for (gsize i = 0; i < G_N_ELEMENTS (sources); i++)
    socks[i] = open_idle (lab, sources[i], 250);
  g_usleep (300 * 1000);

  /* Another workstation is served at once. */
  start = g_get_monotonic_time ();
  {
    g_autoptr (Reply) r = http (&lab->s, "GET", "/api/v1/me", lab->ann, NULL, NULL);
    g_assert_cmpint (r->status, ==, 200);
  }
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  for (gsize i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      open = count_open (socks[i]);
      g_test_message ("%s: %u of %u connections held", sources[i], open, socks[i]->len);
      g_assert_cmpuint (open, >, 0);
      g_assert_cmpuint (open, <=, 16);
    }
  g_test_message ("the server runs %u threads", server_threads (lab));
  g_assert_cmpuint (server_threads (lab), <, 24);

  /* The idle ones are closed after 2 s (and were open at first). */
  while (g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC)
    {
      open = 0;
      for (gsize i = 0; i < G_N_ELEMENTS (sources); i++)
        open += count_open (socks[i]);
      if (open == 0)
        break;
      g_usleep (100 * 1000);
    }
  g_test_message ("all idle connections closed %.1f s after the first was opened",
                  (g_get_monotonic_time () - first) / 1e6);
  g_assert_cmpuint (open, ==, 0);
  g_assert_cmpint (g_get_monotonic_time () - first, >, 3 * G_USEC_PER_SEC / 2);
  for (gsize i = 0; i < G_N_ELEMENTS (sources); i++)
    g_ptr_array_unref (socks[i]);
}

static size_t
count_events (char *data, size_t size, size_t n, void *count)
{
  g_autofree char *text = g_strndup (data, size * n);
  for (const char *p = text; (p = strstr (p, "event: participants")); p++)
    (*(int *) count)++;
  return size * n;
}

/* The dashboard's event stream is no idle connection: with a 2 s idle
 * timeout it still runs after 5 s. */
static void
test_web_stream_outlives_idle_timeout (Lab *lab, gconstpointer data)
{
  const char *const idle[] = { "--idle-timeout", "2", NULL };
  g_autofree char *url = NULL;
  g_autofree char *auth = g_strdup_printf ("Authorization: Bearer %s", lab->kim);
  struct curl_slist *list = NULL;
  CURL *curl = curl_easy_init ();
  CURLcode rc;
  int events = 0;

  restart_with (lab, "http", idle);
  url = g_strconcat (lab->s.url, "/api/v1/stream", NULL);
  list = curl_slist_append (list, auth);
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, count_events);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, &events);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, 5000L);
  rc = curl_easy_perform (curl);
  curl_slist_free_all (list);
  curl_easy_cleanup (curl);
  g_test_message ("%d events in 5 s", events);
  /* Still running when the client gave up. */
  g_assert_cmpint (rc, ==, CURLE_OPERATION_TIMEDOUT);
  g_assert_cmpint (events, >=, 4);
}

/* Bytes that are not UTF-8, in the path, a header or the method, are
 * quoted back in the message (made valid) and never stop the server. */
static void
test_web_bytes_not_utf8 (Lab *lab, gconstpointer data)
{
  g_autofree char *cookie = g_strdup_printf ("Cookie: annolab_token=%s", lab->kim);
  const char *const site[] = { cookie, "Sec-Fetch-Site: cross\xff-site", NULL };
  struct
  {
    const char *method, *path;
    const char *const *headers;
    long status;
  } cases[] = {
    { "GET", "/%FF", NULL, 404 },
    { "GET", "/api/v1/%C3%28", NULL, 404 },
    { "GET", "/api/v1/media/%FF", NULL, 401 },
    { "POST", "/api/v1/participants/1/end-break", site, 403 },
    { "G\xff" "T", "/api/v1/me", NULL, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (Reply) r = http (&lab->s, cases[i].method, cases[i].path, NULL, "{}",
                                  cases[i].headers);
      g_autoptr (Reply) after = http (&lab->s, "GET", "/api/v1/me", lab->ann, NULL, NULL);

      g_test_message ("%s -> %ld %s", cases[i].path, r->status, r->body);
      if (cases[i].status)
        {
          g_assert_cmpint (r->status, ==, cases[i].status);
          g_assert_nonnull (r->json);
        }
      else
        g_assert_cmpint (r->status, >=, 400);
      g_assert_cmpint (after->status, ==, 200);
    }
}

/* ---- end of limits and the web ---- */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  curl_global_init (CURL_GLOBAL_DEFAULT);
#define ADD(path, fn) g_test_add (path, Lab, NULL, lab_set_up, fn, lab_tear_down)
  ADD ("/server/cycle-overlap-idempotency", test_cycle_overlap_idempotency);
  ADD ("/server/roles", test_roles);
  ADD ("/server/bad-bodies", test_bad_bodies);
  ADD ("/server/media", test_media);
  ADD ("/server/events-and-coach", test_events_and_coach);
  ADD ("/server/lease-expiry", test_lease_expiry);
  ADD ("/server/sigkill-during-submits", test_sigkill_during_submits);
  ADD ("/server/role-matrix", test_role_matrix);
  ADD ("/server/unknown-role", test_unknown_role);
  ADD ("/server/forged-event-times", test_forged_event_times);
  ADD ("/server/rate-limit-per-token", test_rate_limit_per_token);
  ADD ("/server/second-server", test_second_server);
  ADD ("/server/token-renewed", test_token_renewed);
  ADD ("/server/body-limits", test_body_limits);
  ADD ("/server/tls", test_tls);
  ADD ("/server/refusals", test_refusals);
  ADD ("/server/broken-reports", test_broken_reports);
  ADD ("/server/voice-routing-and-pass", test_voice_routing_and_pass);
  ADD ("/server/late-submit-after-reassignment", test_late_submit_after_reassignment);
  ADD ("/server/web/range-forms", test_web_range_forms);
  ADD ("/server/web/security-headers", test_web_security_headers);
  ADD ("/server/web/record-csp", test_web_record_csp);
  ADD ("/server/web/cookie-changes", test_web_cookie_changes);
  ADD ("/server/web/room-settings-keys", test_web_room_settings_keys);
  ADD ("/server/web/idle-connections", test_web_idle_connections);
  ADD ("/server/web/stream-outlives-idle-timeout", test_web_stream_outlives_idle_timeout);
  ADD ("/server/web/bytes-not-utf8", test_web_bytes_not_utf8);
  ADD ("/server/imported-proposal-leased", test_imported_proposal_leased);
#undef ADD
  return g_test_run ();
}
