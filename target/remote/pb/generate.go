// Package pb holds the Go code generated from target/remote/proto/chimney/v1/target.proto.
// The generated files are committed, so building needs no protoc. To regenerate after editing
// the .proto (protoc from Debian's protobuf-compiler; the plugins are go.mod tools):
//
//	go generate ./target/remote/pb
package pb

//go:generate sh -c "protoc -I ../proto --plugin=protoc-gen-go=$(go tool -n protoc-gen-go) --plugin=protoc-gen-go-grpc=$(go tool -n protoc-gen-go-grpc) --go_out=. --go_opt=module=github.com/ndis-chimney/conformance/target/remote/pb --go-grpc_out=. --go-grpc_opt=module=github.com/ndis-chimney/conformance/target/remote/pb chimney/v1/target.proto"
