// Package matching is the engine of 零工一码通: it understands Chinese gig and worker text (a CJK bigram
// tokenizer plus the skill taxonomy), keeps an in-memory index of open gigs and active workers, answers
// the job library's keyword search, and pairs workers with gigs under hard filters and a soft score,
// explaining every pair in Chinese. It does no I/O: the store feeds it, the api asks it.
//
// Feeding it: build once at start from the store, then report every change of a record.
//
//	ix := matching.Build(openJobs, activeWorkers) // store.OpenJobs, store.ActiveWorkers
//	ix.UpsertJob(job)        // after create, approve, edit, fill, close, expire: it decides if the gig stays
//	ix.RemoveJob(id)         // after a delete
//	ix.UpsertWorker(worker)  // after register, profile or availability change, deactivation
//	ix.RemoveWorker(id)
//
// Asking it:
//
//	ix.SearchJobs(matching.SearchQuery{Q: "找活 中宁 一天200以上 日结", Today: today}) // the job library
//	ix.MatchJobsForWorker(worker, today, 20)                                           // 为你推荐
//	ix.MatchWorkersForJob(job, today, 50)                                              // candidates, push
//
// and, for validating what people type as skills and certificates, matching.Vocabulary (a
// domain.Vocabulary: the taxonomy's names, synonyms, slang and homophone typos) and DetectSkills and
// DetectCerts for suggesting tags from free text.
//
// The files, one job each: tokenizer.go (CJK analysis), taxonomy.go (the taxonomy compiled: sets,
// phrases, related trades, certificates), reading.go (skills and certificates in text; the Vocabulary),
// homophones.go (readings by pinyin), docs.go (records to documents), dict.go (term ids, document
// frequencies), index.go (shards, updates), regions.go (the shard of a gig, by district and place),
// lists.go (inverted and matching lists, cells), query.go (reading a search query), search.go (the
// library), score.go (the weights, relations and the hard filters), match.go (what both matching
// directions share: tiers, bounds, parts), match_worker.go and match_job.go (the two directions, each a
// query type and a walk type), explain.go (reasons), bm25.go, geo.go, money.go, topk.go, and corpus.go
// with corpus_trades.go (the generated market of the benchmarks and of blevebench).
//
// The benchmarks, on a generated market of 100,000 gigs and 200,000 workers built only when asked for:
//
//	go test ./matching -run '^$' -bench 'Match|Search|Upsert' -benchtime 3000x
//	go test ./matching -run '^$' -bench 'Build' -benchtime 5x
//	go test ./matching -run '^$' -bench 'Memory' -benchtime 1x
//
// and, to count instructions instead of timing, the slowest worker queries under callgrind (see
// slowWorkers in bench_test.go).
//
// and the comparison with Bleve in its own module: cd matching/blevebench && go run .
package matching
