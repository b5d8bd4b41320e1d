/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-queue"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "al-export.h"
#include "al-formats.h"
#include "al-queue-cli.h"
#include "al-queue-serve.h"
#include "al-queue-split.h"
#include "al-store.h"
#include "al-work-record.h"

static const char usage[] =
  "Usage: annolab-queue --db FILE COMMAND [OPTIONS]\n"
  "       annolab-queue copy FROM TO\n"
  "\n"
  "FILE, FROM and TO are SQLite files or PostgreSQL connection URIs\n"
  "(postgresql://USER@HOST/DB, postgres://...).\n"
  "\n"
  "Commands:\n"
  "  import PATH [--format jsonl|coco|labelstudio|audio-folder|trn|media-list|webvtt|srt|cvat-video]\n"
  "         [--dataset NAME] [--images DIR] [--media-root DIR] [--labels A,B]\n"
  "         [--language nl|en] [--overlap N] [--choices A,B] [--multiple]\n"
  "         [--question TEXT] [--config FILE] [--media FILE] [--gold FILE]\n"
  "                                     load tasks (all or nothing); the format is guessed\n"
  "                                     from the name and content; trn sets gold transcripts;\n"
  "                                     webvtt and srt review each cue of --media FILE;\n"
  "                                     cvat-video makes a task of --media VIDEO with its\n"
  "                                     tracks as gold\n"
  "                                     every image or recording must be in the file's folder\n"
  "                                     (or --images, or --media-root) and readable\n"
  "  export [--format jsonl|coco|yolo|voc|labelstudio|webvtt|srt|trn|cvat-video|mot]\n"
  "         [--consensus]\n"
  "         [--annotator NAME] [--output F|DIR]\n"
  "                                     write the submitted results, per participant or\n"
  "                                     merged (--consensus); yolo, voc, webvtt, srt,\n"
  "                                     cvat-video and mot write a\n"
  "                                     folder\n"
  "  user add NAME --role participant|coach [--group GROUP]\n"
  "                                     add a user and print their token\n"
  "  user set NAME voice_images true|false\n"
  "                                     whether a participant in voice mode may get image\n"
  "                                     tasks too (by default: listening tasks only)\n"
  "  user token NAME                    print a new token for NAME; the old one no longer\n"
  "                                     works (a lost token, a coach who leaves)\n"
  "  record NAME [--format json|html] [--output F]\n"
  "                                     a participant's own work record\n"
  "  media-root DIR                     let the server serve media from DIR (for a database\n"
  "                                     made before imports recorded their folders)\n"
  "  stats                              count tasks and results\n"
  "  set KEY VALUE                      a queue setting: gold_share (0-1), lease_seconds,\n"
  "                                     max_passes (tasks one may pass on a day, 0-1000)\n"
  "  pre-annotate --with asr|faces|http://HOST:PORT/ [--dataset NAME] [--replace]\n"
  "         [--timeout SECONDS]\n"
  "                                     fill in model proposals for tasks that have none:\n"
  "                                     PocketSphinx drafts of English transcriptions, OpenCV\n"
  "                                     faces, or a Label Studio ML backend's /predict\n"
  "  proposals [--dataset NAME] [--format jsonl|trn] [--output F]\n"
  "                                     write the stored proposals (trn: for annolab-score)\n"
  "  serve --listen HOST:PORT [--tls-cert F --tls-key F] [--rate N]\n"
  "        [--idle-timeout SECONDS] [--per-address N] [--max-connections N]\n"
  "        [--threads N]\n"
  "                                     serve the lab (port 0: any free port); idle\n"
  "                                     connections close after 30 s, one address may\n"
  "                                     hold 16 connections, all together 1000; N threads\n"
  "                                     handle the connections (default: one per core)\n"
  "  copy FROM TO                       copy a whole queue into a new, empty database\n"
  "                                     (SQLite to PostgreSQL or back), all or nothing\n";

/* The options of every command; each command's own table says which of
 * them it takes, so GOptionContext refuses any other with its name. */
typedef struct
{
  char *format, *dataset, *images, *media_root, *labels, *language, *overlap;
  char *choices, *question, *config, *media, *gold;
  gboolean multiple;
  char *annotator, *output, *role, *group;
  char *listen, *tls_cert, *tls_key, *rate, *idle_timeout, *per_address, *max_connections;
  char *threads;
  gboolean consensus;
} Options;

static Options opts;

typedef struct
{
  AlStore *store;
  int argc;
  char **argv;
} Cli;

#define STRING_OPTION(name, field, text, arg) \
  { name, 0, 0, G_OPTION_ARG_STRING, &opts.field, text, arg }

static const GOptionEntry import_entries[] = {
  STRING_OPTION ("format", format,
                 "jsonl, coco, labelstudio, audio-folder, trn, media-list, webvtt, srt or cvat-video",
                 "FORMAT"),
  STRING_OPTION ("dataset", dataset, "the name of the import", "NAME"),
  STRING_OPTION ("images", images, "where the images are", "DIR"),
  STRING_OPTION ("media-root", media_root, "the folder every image and recording must be in", "DIR"),
  STRING_OPTION ("labels", labels, "labels every image task offers", "A,B"),
  STRING_OPTION ("language", language, "the language of an audio folder", "nl|en"),
  STRING_OPTION ("overlap", overlap, "how many people do each task", "N"),
  STRING_OPTION ("choices", choices, "the choices of a classification", "A,B"),
  { "multiple", 0, 0, G_OPTION_ARG_NONE, &opts.multiple, "more than one choice may apply", NULL },
  STRING_OPTION ("question", question, "the question of a classification", "TEXT"),
  STRING_OPTION ("config", config, "a Label Studio labelling config with <Choices>", "FILE"),
  STRING_OPTION ("media", media, "the recording or video a subtitle or CVAT video file belongs "
                 "to", "FILE"),
  STRING_OPTION ("gold", gold, "the same subtitles as they should be", "FILE"),
  { NULL }
};

static const GOptionEntry export_entries[] = {
  STRING_OPTION ("format", format, "jsonl, coco, yolo, voc, labelstudio, webvtt, srt, trn, "
                 "cvat-video or mot", "FORMAT"),
  { "consensus", 0, 0, G_OPTION_ARG_NONE, &opts.consensus, "merge the participants' results", NULL },
  STRING_OPTION ("annotator", annotator, "one participant only", "NAME"),
  STRING_OPTION ("output", output, "the file or folder to write", "F|DIR"),
  { NULL }
};

static const GOptionEntry user_entries[] = {
  STRING_OPTION ("role", role, "participant or coach", "ROLE"),
  STRING_OPTION ("group", group, "the group", "GROUP"),
  { NULL }
};

static const GOptionEntry record_entries[] = {
  STRING_OPTION ("format", format, "json or html", "FORMAT"),
  STRING_OPTION ("output", output, "the file to write", "F"),
  { NULL }
};

static const GOptionEntry serve_entries[] = {
  STRING_OPTION ("listen", listen, "the address and port", "HOST:PORT"),
  STRING_OPTION ("tls-cert", tls_cert, "a PEM certificate", "F"),
  STRING_OPTION ("tls-key", tls_key, "its PEM private key", "F"),
  STRING_OPTION ("rate", rate, "requests per second per token", "N"),
  STRING_OPTION ("idle-timeout", idle_timeout, "close a connection idle this long", "SECONDS"),
  STRING_OPTION ("per-address", per_address, "connections one address may hold", "N"),
  STRING_OPTION ("max-connections", max_connections, "connections in all", "N"),
  STRING_OPTION ("threads", threads, "threads that handle connections", "N"),
  { NULL }
};

static const GOptionEntry no_entries[] = { { NULL } };

static int
fail (const char *format,
      ...) G_GNUC_PRINTF (1, 2);

static int
fail (const char *format,
      ...)
{
  va_list args;
  va_start (args, format);
  fputs ("annolab-queue: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  return 1;
}

static int
cmd_import (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) labels = NULL;
  g_auto (GStrv) choices = NULL;
  const char *path = cli->argc > 0 ? cli->argv[0] : NULL;
  const char *format = opts.format;
  const char *label_list = opts.labels;
  AlImportOptions options = { 0 };
  guint count = 0;

  if (path == NULL || g_str_has_prefix (path, "--"))
    return fail ("import needs a file or folder: annolab-queue --db FILE import TASKS.jsonl");
  if (label_list)
    labels = g_strsplit (label_list, ",", -1);
  options.dataset = opts.dataset;
  options.images_dir = opts.images;
  options.media_root = opts.media_root;
  options.labels = labels;
  options.language = opts.language;
  if (opts.choices)
    {
      /* "muziek, spraak" means "spraak", not " spraak". */
      choices = g_strsplit (opts.choices, ",", -1);
      for (guint i = 0; choices[i]; i++)
        g_strstrip (choices[i]);
    }
  options.choices = (const char *const *) choices;
  options.multiple = opts.multiple;
  options.question = opts.question;
  options.config = opts.config;
  options.media = opts.media;
  options.gold = opts.gold;
  if (opts.overlap)
    {
      gint64 overlap = g_ascii_strtoll (opts.overlap, NULL, 10);
      if (overlap < 1 || overlap > 1000)
        return fail ("--overlap must be a whole number from 1 to 1000");
      options.overlap = (int) overlap;
    }
  options.split = al_queue_split_recording;
  options.check_audio = al_queue_check_recording;
  options.check_video = al_queue_check_video;
  options.notes = notes;
  if (!al_format_import (cli->store, path, format, &options, &count, &error))
    return fail ("nothing was imported: %s", error->message);
  for (guint i = 0; i < notes->len; i++)
    fprintf (stderr, "annolab-queue: note: %s\n", (const char *) notes->pdata[i]);
  if (g_strcmp0 (format ? format : al_format_guess (path, NULL), "trn") == 0)
    printf ("set gold transcripts on %u tasks from %s\n", count, path);
  else
    printf ("imported %u tasks from %s\n", count, path);
  return 0;
}

static int
cmd_export (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  const char *format = opts.format;
  AlExportOptions options = { 0 };

  options.consensus = opts.consensus;
  options.annotator = opts.annotator;
  /* A misspelt name would give an empty export that looks like no work. */
  if (opts.annotator)
    {
      g_autoptr (AlUser) user = al_store_find_user (cli->store, opts.annotator);
      if (user == NULL || !g_str_equal (user->role, "participant"))
        return fail ("there is no participant named \"%s\"", opts.annotator);
    }
  if (!al_format_export (cli->store, format ? format : "jsonl", &options, opts.output,
                         &error))
    return fail ("%s", error->message);
  return 0;
}

/* The coach's per-person settings that the dashboard shows too. */
static int
user_set (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlUser) user = NULL;
  g_autoptr (json_t) settings = NULL;
  const char *value = cli->argc == 4 ? cli->argv[3] : NULL;

  if (cli->argc != 4 || !g_str_equal (cli->argv[2], "voice_images"))
    return fail ("usage: annolab-queue --db FILE user set NAME voice_images true|false");
  if (!g_str_equal (value, "true") && !g_str_equal (value, "false"))
    return fail ("\"%s\" is not a valid value for voice_images; use true or false", value);
  user = al_store_find_user (cli->store, cli->argv[1]);
  if (user == NULL || !g_str_equal (user->role, "participant"))
    return fail ("there is no participant named \"%s\"", cli->argv[1]);
  settings = json_deep_copy (user->settings);
  json_object_set_new (settings, "voice_images", json_boolean (g_str_equal (value, "true")));
  if (!al_store_set_user_settings (cli->store, user->id, settings, &error))
    return fail ("%s", error->message);
  return 0;
}

static int
cmd_user (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlUser) user = NULL;
  g_autofree char *token = NULL;
  const char *role = opts.role;

  if (cli->argc >= 1 && g_str_equal (cli->argv[0], "set"))
    return user_set (cli);
  if (cli->argc >= 1 && g_str_equal (cli->argv[0], "token"))
    {
      if (cli->argc != 2)
        return fail ("usage: annolab-queue --db FILE user token NAME");
      if ((token = al_store_renew_token (cli->store, cli->argv[1], &error)) == NULL)
        return fail ("%s", error->message);
      printf ("%s\n", token);
      g_printerr ("annolab-queue: %s's old token no longer works\n", cli->argv[1]);
      return 0;
    }
  if (cli->argc < 2 || g_strcmp0 (cli->argv[0], "add") != 0 || g_str_has_prefix (cli->argv[1], "--"))
    return fail ("usage: annolab-queue --db FILE user add NAME --role participant|coach "
                 "[--group GROUP]");
  if (role == NULL)
    return fail ("user add needs --role participant or --role coach");
  user = al_store_add_user (cli->store, cli->argv[1], role, opts.group, &token,
                            &error);
  if (user == NULL)
    return fail ("%s", error->message);
  printf ("%s\n", token);
  return 0;
}

static int
cmd_stats (Cli *cli)
{
  printf ("tasks\t%" G_GINT64_FORMAT "\nresults\t%" G_GINT64_FORMAT "\n",
          al_store_count_tasks (cli->store), al_store_count_results (cli->store, 0));
  return 0;
}

static int
cmd_record (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlUser) user = NULL;
  g_autoptr (json_t) record = NULL;
  g_autofree char *text = NULL;
  const char *format = opts.format;
  const char *output = opts.output;

  if (cli->argc < 1 || g_str_has_prefix (cli->argv[0], "--"))
    return fail ("usage: annolab-queue --db FILE record NAME [--format json|html] [--output F]");
  if (format && !g_str_equal (format, "json") && !g_str_equal (format, "html"))
    return fail ("unknown record format \"%s\"; use json or html", format);
  user = al_store_find_user (cli->store, cli->argv[0]);
  if (user == NULL)
    return fail ("there is no user named \"%s\"", cli->argv[0]);
  record = al_work_record_build (cli->store, user, &error);
  if (record == NULL)
    return fail ("%s", error->message);
  if (format && g_str_equal (format, "html"))
    text = al_work_record_to_html (record);
  else
    text = al_work_record_to_json (record);
  if (output == NULL)
    fputs (text, stdout);
  else
    {
      /* Never over the database or a dataset's file; written whole or not at all. */
      g_autofree char *target = al_store_check_output (cli->store, output, &error);
      if (target == NULL || !g_file_set_contents (target, text, -1, &error))
        return fail ("%s", error->message);
    }
  return 0;
}

static int
cmd_media_root (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *real = NULL;

  if (cli->argc != 1 || g_str_has_prefix (cli->argv[0], "--"))
    return fail ("usage: annolab-queue --db FILE media-root DIR");
  real = realpath (cli->argv[0], NULL);
  if (real == NULL || !g_file_test (real, G_FILE_TEST_IS_DIR))
    return fail ("%s: there is no such folder", cli->argv[0]);
  if (!al_store_add_media_root (cli->store, real, &error))
    return fail ("%s", error->message);
  printf ("the server may serve media from %s\n", real);
  return 0;
}

static int
cmd_serve (Cli *cli)
{
  AlServeArgs args = {
    .listen = opts.listen,
    .tls_cert = opts.tls_cert,
    .tls_key = opts.tls_key,
    .rate = opts.rate,
    .idle_timeout = opts.idle_timeout,
    .per_address = opts.per_address,
    .max_connections = opts.max_connections,
    .threads = opts.threads,
  };
  return al_queue_serve (cli->store, &args);
}

static int
cmd_set (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  static const char *const keys[] = { "gold_share", "lease_seconds", "max_passes", NULL };
  double value;
  char *end = NULL;

  if (cli->argc != 2 || !g_strv_contains (keys, cli->argv[0]))
    return fail ("usage: annolab-queue --db FILE set gold_share|lease_seconds|max_passes VALUE");
  value = g_ascii_strtod (cli->argv[1], &end);
  if (*end || end == cli->argv[1] || !isfinite (value) || value < 0 || (g_str_equal (cli->argv[0], "gold_share") && value > 1) ||
      (g_str_equal (cli->argv[0], "lease_seconds") && (value < 1 || value > 86400)) ||
      (g_str_equal (cli->argv[0], "max_passes") && (value > 1000 || value != floor (value))))
    return fail ("\"%s\" is not a valid value for %s", cli->argv[1], cli->argv[0]);
  if (!al_store_set_meta (cli->store, cli->argv[0], cli->argv[1], &error))
    return fail ("%s", error->message);
  return 0;
}

typedef struct
{
  const char *name;
  const char *parameters;
  const GOptionEntry *entries;
  int (*run) (Cli *cli);
  gboolean makes;  /* may make a new queue */
} Command;

static const Command commands[] = {
  { "import", "PATH", import_entries, cmd_import, TRUE },
  { "export", "", export_entries, cmd_export, FALSE },
  { "user", "add NAME | set NAME KEY VALUE | token NAME", user_entries, cmd_user, TRUE },
  { "record", "NAME", record_entries, cmd_record, FALSE },
  { "media-root", "DIR", no_entries, cmd_media_root, TRUE },
  { "stats", "", no_entries, cmd_stats, FALSE },
  { "set", "KEY VALUE", no_entries, cmd_set, TRUE },
  { "serve", "", serve_entries, cmd_serve, TRUE },
};

/* Only what fills a queue makes one: a command that reads it, given a
 * misspelt --db, would otherwise answer from a new, empty queue. */
static gboolean
queue_exists (const char *db,
              gboolean    makes)
{
  if (g_str_has_prefix (db, "postgresql://") || g_str_has_prefix (db, "postgres://") ||
      g_file_test (db, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!makes)
    {
      fail ("there is no queue database %s; check --db (\"annolab-queue --db FILE import "
            "TASKS\" makes a new one)", db);
      return FALSE;
    }
  g_printerr ("annolab-queue: %s did not exist: a new, empty queue was made\n", db);
  return TRUE;
}

/* annolab-queue copy FROM TO: the target must be new or empty. */
static int
copy_queue (int    argc,
            char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlStore) from = NULL;
  g_autoptr (AlStore) to = NULL;
  gint64 rows = 0;

  if (argc != 2)
    {
      fputs ("usage: annolab-queue copy FROM TO\n", stderr);
      return 2;
    }
  if (g_strcmp0 (argv[0], argv[1]) == 0)
    return fail ("copy: FROM and TO are the same database");
  /* The source must already be a queue: never make one by reading it. */
  if (!g_str_has_prefix (argv[0], "postgres") && !g_file_test (argv[0], G_FILE_TEST_EXISTS))
    return fail ("copy: there is no database %s", argv[0]);
  from = al_store_open (argv[0], &error);
  if (from == NULL)
    return fail ("copy: %s", error->message);
  to = al_store_open (argv[1], &error);
  if (to == NULL)
    return fail ("copy: %s", error->message);
  if (!al_store_copy (from, to, &rows, &error))
    return fail ("copy: %s", error->message);
  printf ("copied %" G_GINT64_FORMAT " rows: %" G_GINT64_FORMAT " tasks, %" G_GINT64_FORMAT
          " results\n", rows, al_store_count_tasks (to), al_store_count_results (to, 0));
  return 0;
}

/* Parses the command's own options before the database is opened, so a
 * misspelt option changes nothing; what is left are its arguments. */
static gboolean
parse_options (const char         *name,
               const char         *params,
               const GOptionEntry *entries,
               int                *argc,
               char             ***argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *parameters = g_strdup_printf ("%s %s", name, params);
  g_autoptr (GOptionContext) context = g_option_context_new (parameters);

  g_option_context_add_main_entries (context, entries, NULL);
  if (g_option_context_parse (context, argc, argv, &error))
    return TRUE;
  fprintf (stderr, "annolab-queue %s: %s\nSee annolab-queue --db FILE %s --help, or "
           "annolab-queue --help.\n", name, error->message, name);
  return FALSE;
}

/* Runs a command from another library; -1 when @name is none of them. */
static int
run_extra (const AlQueueCommand *extra,
           const char           *db,
           int                   argc,
           char                **argv)
{
  for (; extra && extra->name; extra++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (AlStore) store = NULL;
      g_autofree char **cargv = NULL;
      int cargc = argc;

      if (g_strcmp0 (argv[0], extra->name) != 0)
        continue;
      cargv = g_new0 (char *, argc + 1);
      cargv[0] = (char *) "annolab-queue";
      for (int k = 1; k < argc; k++)
        cargv[k] = argv[k];
      if (!parse_options (extra->name, extra->parameters, extra->entries, &cargc, &cargv))
        return 2;
      if (!queue_exists (db, FALSE))
        return 1;
      store = al_store_open (db, &error);
      if (store == NULL)
        return fail ("%s", error->message);
      al_store_set_shared (store);
      return extra->run (store, cargc - 1, cargv + 1);
    }
  return -1;
}

int
al_queue_cli_run (int   argc,
                  char *argv[])
{
  return al_queue_cli_run_with (argc, argv, NULL);
}

int
al_queue_cli_run_with (int                   argc,
                       char                 *argv[],
                       const AlQueueCommand *extra)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlStore) store = NULL;
  const char *db = NULL;
  int i = 1;
  Cli cli = { 0 };

  if (argc > 1 && (g_strcmp0 (argv[1], "--help") == 0 || g_strcmp0 (argv[1], "-h") == 0))
    {
      fputs (usage, stdout);
      return 0;
    }
  if (argc > 1 && g_strcmp0 (argv[1], "copy") == 0)
    return copy_queue (argc - 2, argv + 2);
  if (argc > 2 && g_strcmp0 (argv[1], "--db") == 0)
    {
      db = argv[2];
      i = 3;
    }
  else if (argc > 1 && g_str_has_prefix (argv[1], "--db="))
    {
      db = argv[1] + 5;
      i = 2;
    }
  if (db == NULL || i >= argc)
    {
      fputs (usage, stderr);
      return 2;
    }
  if (g_strcmp0 (argv[i], "copy") == 0)
    {
      fputs ("annolab-queue copy takes its two databases without --db:\n"
             "usage: annolab-queue copy FROM TO\n", stderr);
      return 2;
    }

  for (gsize c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      g_autofree char *name = NULL;
      int cargc = argc - i;
      char **cargv;

      if (g_strcmp0 (argv[i], commands[c].name) != 0)
        continue;
      /* GOptionContext takes the first argument as the program's name. */
      name = g_strdup ("annolab-queue");
      cargv = g_new0 (char *, cargc + 1);
      cargv[0] = name;
      for (int k = 1; k < cargc; k++)
        cargv[k] = argv[i + k];
      if (!parse_options (commands[c].name, commands[c].parameters, commands[c].entries, &cargc,
                          &cargv))
        {
          g_free (cargv);
          return 2;
        }
      if (!queue_exists (db, commands[c].makes))
        {
          g_free (cargv);
          return 1;
        }
      store = al_store_open (db, &error);
      if (store == NULL)
        {
          g_free (cargv);
          return fail ("%s", error->message);
        }
      /* A server may have the same file open while an admin command runs. */
      if (commands[c].run != cmd_serve)
        al_store_set_shared (store);
      cli.store = store;
      cli.argc = cargc - 1;
      cli.argv = cargv + 1;
      {
        int status = commands[c].run (&cli);
        g_free (cargv);
        return status;
      }
    }
  {
    int status = run_extra (extra, db, argc - i, argv + i);
    if (status >= 0)
      return status;
  }
  fprintf (stderr, "annolab-queue: unknown command \"%s\"\n\n%s", argv[i], usage);
  return 2;
}
