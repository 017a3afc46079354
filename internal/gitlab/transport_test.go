package gitlab

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// go-retryablehttp logs from every request in flight through one logger,
// while terraform-plugin-log masks the fields of the logging context in
// place: without care, parallel requests crash the provider with
// "concurrent map writes".
func TestRetryLoggerIsSafeForParallelRequests(t *testing.T) {
	t.Parallel()
	var out lockedBuffer
	ctx := tflog.SetField(tflogtest.RootLogger(t.Context(), &out), "tf_rpc", "ConfigureProvider")
	c := &Client{token: testToken}
	l := retryLogger{ctx: c.logContext(ctx)}

	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				l.Debug("performing request", "url", "https://gitlab.example/api/v4/user?private_token="+testToken)
			}
		}()
	}
	wg.Wait()

	logged := out.String()
	if strings.Count(logged, "performing request") != 8*500 {
		t.Fatalf("expected %d log lines", 8*500)
	}
	if strings.Contains(logged, testToken) {
		t.Fatal("the token is in the log")
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
